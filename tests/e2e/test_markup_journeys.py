"""Highlighted code, letter avatars and numbered pages as a browser shows them."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_code_is_coloured_in_both_themes_and_avatars_are_drawn(page, live_server):
    author = UserFactory(username="john_smith")
    PostFactory(author=author, body="Look:\n\n```python\ndef greet():\n    pass\n```")
    page.goto("/")
    keyword = page.locator(".post-body pre.highlight .k").first
    expect(keyword).to_have_text("def")
    assert keyword.evaluate("element => getComputedStyle(element).color") == "rgb(0, 128, 0)"
    page.evaluate("document.documentElement.setAttribute('data-bs-theme', 'dark')")
    assert keyword.evaluate("element => getComputedStyle(element).color") == "rgb(255, 123, 114)"
    avatar = page.get_by_role("img", name="Avatar of john_smith").first
    expect(avatar).to_have_attribute("src", author.letter_avatar_url())
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.avatar')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )


def test_numbered_pages_lead_to_the_last(page, live_server, settings):
    settings.FLASKY_POSTS_PER_PAGE = 2
    PostFactory.create_batch(11)
    page.goto("/")
    pages = page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name="Last page, about 6").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("6")
    pages.get_by_role("link", name="4", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/?page=4")
