"""Following in a real browser: the button, the counts and the badge change at once, and back."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from social.models import Follow
from social.tests.factories import FollowFactory
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_follow_and_unfollow_from_a_profile(page, live_server, mailoutbox):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    FollowFactory(follower=bob, followed=alice)
    log_in(page, alice)

    page.goto("/user/bob/")
    block = page.locator("[data-follow-block]")
    expect(block.get_by_text("Follows you")).to_be_visible()
    expect(block.locator("[data-followers-count]")).to_have_text("0")

    block.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("alert")).to_contain_text("You are now following bob.")
    expect(block.locator("[data-followers-count]")).to_have_text("1")
    expect(block.get_by_role("button", name="Unfollow")).to_be_visible()
    assert Follow.objects.filter(follower=alice, followed=bob).exists()
    assert [message.subject for message in mailoutbox] == ["[Flasky] alice is now following you!"]

    page.reload()  # what the page says after a reload agrees with what the script showed
    expect(block.locator("[data-followers-count]")).to_have_text("1")

    block.get_by_role("button", name="Unfollow").click()
    expect(page.get_by_role("alert")).to_contain_text("You are not following bob anymore.")
    expect(block.locator("[data-followers-count]")).to_have_text("0")
    expect(block.get_by_role("button", name="Follow")).to_be_visible()
    assert not Follow.objects.filter(follower=alice, followed=bob).exists()

    block.get_by_role("link", name="Following: 1").click()
    expect(page.locator("h1")).to_have_text("Followed by bob")
    expect(page.get_by_role("link", name="alice")).to_be_visible()


def test_follow_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    alice, _ = UserFactory(username="alice"), UserFactory(username="bob")
    log_in(page, alice)
    page.goto("/user/bob/")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_text("You are now following bob.")).to_be_visible()
    expect(page.locator("[data-followers-count]")).to_have_text("1")
    context.close()
