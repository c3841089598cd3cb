"""Keyboard-only journeys: writing a post and following someone with nothing but the keyboard, with the
focused control visibly marked at every stop on the way."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from blog.models import Like, Post
from blog.tests.factories import PostFactory
from social.models import Follow

pytestmark = pytest.mark.django_db(transaction=True)

# Whether the focused element shows it: an outline or a focus ring (Bootstrap draws one as a box-shadow).
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {outline: outline, ring: style.boxShadow !== "none", tag: element.tagName, text: element.innerText};
}"""


def logged_in(page, user, base_url):
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def assert_focus_shown(page):
    shown = page.evaluate(FOCUS_SHOWN)
    assert shown is not None, "nothing has the focus"
    assert shown["outline"] or shown["ring"], f"the focus is not visible on {shown}"


def tab_to(page, target, *, limit=60):
    """Press Tab until ``target`` has the focus, checking that every control on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_shown(page)
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached in {limit} presses of Tab")


def skip_to_content(page):
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    assert_focus_shown(page)
    page.keyboard.press("Enter")


def test_writing_a_post_with_the_keyboard_only(page, live_server):
    logged_in(page, UserFactory(username="grace"), live_server.url)
    page.goto("/")
    skip_to_content(page)

    tab_to(page, page.get_by_label("Title (optional)"))
    page.keyboard.type("Keyboards first")
    tab_to(page, page.get_by_label("What's on your mind?"))
    page.keyboard.type("Everything here works **without a mouse**.")
    tab_to(page, page.get_by_role("button", name="Submit"))
    page.keyboard.press("Enter")

    # A full page load follows (on a busy machine, longer than expect's usual five seconds).
    expect(page.get_by_role("alert")).to_contain_text("Your post has been published.", timeout=30_000)
    first = page.locator("li.post").first
    expect(first.get_by_role("heading", name="Keyboards first")).to_be_visible()
    expect(first.locator("strong")).to_have_text("without a mouse")
    post = Post.objects.get()
    assert (post.title, post.author.username) == ("Keyboards first", "grace")


def test_following_someone_with_the_keyboard_only(page, live_server):
    grace, ana = UserFactory(username="grace"), UserFactory(username="ana")
    logged_in(page, grace, live_server.url)
    page.goto("/user/ana/")
    skip_to_content(page)
    block = page.locator("[data-follow-block]")

    tab_to(page, block.get_by_role("button", name="Follow"))
    page.keyboard.press("Space")
    expect(page.get_by_role("alert")).to_contain_text("You are now following ana.")
    expect(block.locator("[data-followers-count]")).to_have_text("1")
    # The keyboard user keeps their place: the same button, now Unfollow, still has the (visible) focus.
    expect(block.get_by_role("button", name="Unfollow")).to_be_focused()
    assert_focus_shown(page)
    assert Follow.objects.filter(follower=grace, followed=ana).exists()

    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(re.compile("You are not following ana anymore."))
    expect(block.locator("[data-followers-count]")).to_have_text("0")
    expect(block.get_by_role("button", name="Follow")).to_be_focused()
    assert not Follow.objects.filter(follower=grace, followed=ana).exists()


def test_liking_a_post_with_the_keyboard_keeps_the_focus_on_the_button(page, live_server):
    grace = UserFactory(username="grace")
    PostFactory(author=UserFactory(username="linus"), title="Profile first", body="Measure, then change.")
    logged_in(page, grace, live_server.url)
    page.goto("/")
    skip_to_content(page)
    like = page.locator("li.post").first.get_by_role("button", name="Like", exact=True)

    tab_to(page, like)
    page.keyboard.press("Space")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_be_focused()
    assert_focus_shown(page)
    assert Like.objects.filter(user=grace).count() == 1
