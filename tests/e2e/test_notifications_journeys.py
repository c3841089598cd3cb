"""Notifications in a real browser: a mention reaches its reader's bell without a reload, and the
notification opens the comment in its place.

Here bob mentions alice in a comment on her post; the issue's journey, a mention in a *reply* to her comment
(one notification, the reply's), is in test_conversation_journeys.py."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from blog.models import Comment
from blog.tests.factories import PostFactory
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mention_rings_the_bell_and_opens_the_comment(page, browser, live_server):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    post = PostFactory(author=alice, title="Trip to Lisbon")
    log_in(page, alice)
    bell = page.locator("[data-notifications-bell]")
    expect(bell).to_have_attribute("aria-label", "Notifications: none unread")
    expect(bell.locator("[data-notifications-count]")).to_be_hidden()

    bob_context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="UTC")
    bob_page = bob_context.new_page()
    log_in(bob_page, bob)
    bob_page.goto(post.get_absolute_url())
    bob_page.get_by_label("Enter your comment").fill("Great trip, @alice!")
    bob_page.get_by_role("button", name="Submit").click()
    comment = Comment.objects.get(post=post, author=bob)
    expect(bob_page.locator(f"#comment-{comment.pk}").get_by_role("link", name="@alice")).to_be_visible()
    bob_context.close()

    # The bell asks again when the tab comes back into view (and every 45 seconds while it is visible).
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(bell.locator("[data-notifications-count]")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "Notifications: 1 unread")

    bell.click()
    expect(page.locator("h1")).to_have_text("Notifications")
    item = page.get_by_role("link", name="bob mentioned you in a comment on “Trip to Lisbon”.")
    expect(bell.locator("[data-notifications-count]")).to_be_hidden()  # opening the page read it
    item.click()
    expect(page).to_have_url(re.compile(rf"/post/{post.pk}/\?page=1#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Great trip, @alice!")
    assert not Notification.objects.filter(recipient=alice, read=False).exists()
