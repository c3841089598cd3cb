"""The conversation in a real browser: liking and bookmarking in place (with JavaScript) and with plain
forms (without it), and bob mentioning alice in a reply to her comment, which rings her bell once and opens
the reply."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Notification, NotificationType
from accounts.tests.factories import UserFactory
from blog.models import Bookmark, Comment, Like
from blog.tests.factories import PostFactory
from tests.e2e.helpers import log_in, log_out, watch_for_errors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_browser(browser, live_server):
    """A second browser (another person, or the same one without JavaScript): new_context(**options) opens
    a page in a fresh context whose Content Security Policy violations and script errors fail the test too."""
    contexts, problems = [], []

    def new_context(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="UTC", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        problems.append(watch_for_errors(page))
        return page

    yield new_context
    for context in contexts:
        context.close()
    assert not [problem for page_problems in problems for problem in page_problems], problems


def post_in_list(page, post):
    return page.locator(f"#post-{post.pk}")


def test_like_and_bookmark_in_place(page, live_server):
    bob = UserFactory(username="bob")
    post = PostFactory(author=UserFactory(username="carol"), title="Trip to Lisbon")
    log_in(page, bob)
    home = page.url
    page.evaluate("window.journeyMarker = 'no reload'")  # a reload would lose it

    item = post_in_list(page, post)
    like = item.get_by_role("button", name="Like", exact=True)
    count = item.locator("[data-like-count]")
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text("0")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("1")
    bookmark = item.get_by_role("button", name="Bookmark", exact=True)
    expect(bookmark).to_have_attribute("aria-pressed", "false")
    bookmark.click()
    expect(bookmark).to_have_attribute("aria-pressed", "true")
    assert page.url == home
    assert page.evaluate("window.journeyMarker") == "no reload"
    assert Like.objects.filter(user=bob, post=post).exists()
    assert Bookmark.objects.filter(user=bob, post=post).exists()

    page.get_by_role("button", name=re.compile("Account")).click()
    page.get_by_role("link", name="Bookmarks").click()
    expect(page.locator("h1")).to_have_text("Bookmarks")
    item = post_in_list(page, post)
    expect(item).to_contain_text("Trip to Lisbon")
    like = item.get_by_role("button", name="Like", exact=True)
    bookmark = item.get_by_role("button", name="Bookmark", exact=True)
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(bookmark).to_have_attribute("aria-pressed", "true")

    bookmarks = page.url
    page.evaluate("window.journeyMarker = 'still no reload'")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(item.locator("[data-like-count]")).to_have_text("0")
    bookmark.click()
    expect(bookmark).to_have_attribute("aria-pressed", "false")
    assert page.url == bookmarks
    assert page.evaluate("window.journeyMarker") == "still no reload"
    assert not Like.objects.exists()
    assert not Bookmark.objects.exists()
    # Liking again after undoing works in place too (the form's undo field follows the state).
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(item.locator("[data-like-count]")).to_have_text("1")
    assert Like.objects.filter(user=bob, post=post).count() == 1

    page.reload()
    expect(page.get_by_text("No bookmarks yet")).to_be_visible()
    expect(post_in_list(page, post)).to_have_count(0)


def test_like_and_bookmark_without_javascript(other_browser):
    page = other_browser(java_script_enabled=False)
    bob = UserFactory(username="bob")
    post = PostFactory(author=UserFactory(username="carol"), title="Trip to Lisbon")
    log_in(page, bob)

    item = post_in_list(page, post)
    item.get_by_role("button", name="Like", exact=True).click()  # a form post, then back to the same page
    expect(page).to_have_url(re.compile(rf"/#post-{post.pk}$"))
    item = post_in_list(page, post)
    expect(item.get_by_role("button", name="Like", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(item.locator("[data-like-count]")).to_have_text("1")
    item.get_by_role("button", name="Bookmark", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/#post-{post.pk}$"))
    item = post_in_list(page, post)
    expect(item.get_by_role("button", name="Bookmark", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(item.get_by_role("button", name="Like", exact=True)).to_have_attribute("aria-pressed", "true")
    assert Like.objects.filter(user=bob, post=post).exists()
    assert Bookmark.objects.filter(user=bob, post=post).exists()

    page.goto("/bookmarks/")
    item = post_in_list(page, post)
    expect(item).to_contain_text("Trip to Lisbon")
    item.get_by_role("button", name="Like", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/bookmarks/#post-{post.pk}$"))
    item = post_in_list(page, post)
    expect(item.get_by_role("button", name="Like", exact=True)).to_have_attribute("aria-pressed", "false")
    expect(item.locator("[data-like-count]")).to_have_text("0")
    item.get_by_role("button", name="Bookmark", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/bookmarks/#post-{post.pk}$"))
    expect(page.get_by_text("No bookmarks yet")).to_be_visible()
    assert not Like.objects.exists()
    assert not Bookmark.objects.exists()


def test_a_mention_in_a_reply_rings_the_bell_once_and_opens_the_reply(page, other_browser):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    post = PostFactory(author=UserFactory(username="carol"), title="Trip to Lisbon")
    log_in(page, alice)
    page.goto(post.get_absolute_url())
    page.get_by_label("Enter your comment").fill("I was there last **spring**.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert")).to_contain_text("Your comment has been published.")
    comment = Comment.objects.get(post=post, author=alice)
    log_out(page)

    bob_page = other_browser()
    log_in(bob_page, bob)
    bob_page.goto(post.get_absolute_url())
    thread = bob_page.locator(f"#comment-{comment.pk}")
    thread.locator("summary", has_text="Reply").click()
    reply_box = thread.get_by_label("Reply to alice")
    reply_box.fill("@alice so was I, what a city!")
    expect(thread.locator("[data-preview]").get_by_role("link", name="@alice")).to_be_visible()
    reply_box.locator("xpath=ancestor::form").get_by_role("button", name="Reply").click()
    reply = Comment.objects.get(post=post, author=bob)
    expect(bob_page).to_have_url(re.compile(rf"#comment-{reply.pk}$"))
    assert reply.in_reply_to_id == comment.pk
    expect(
        bob_page.locator(f"#comment-{comment.pk} .comment-replies #comment-{reply.pk}").get_by_role(
            "link", name="@alice"
        )
    ).to_be_visible()

    log_in(page, alice)
    bell = page.locator("[data-notifications-bell]")
    expect(bell.locator("[data-notifications-count]")).to_have_text("1")  # one event, told once
    expect(bell).to_have_attribute("aria-label", "Notifications: 1 unread")
    assert list(Notification.objects.filter(recipient=alice).values_list("kind", flat=True)) == [
        NotificationType.REPLY
    ]
    bell.click()
    expect(page.locator("h1")).to_have_text("Notifications")
    page.get_by_role("link", name="bob replied to your comment on “Trip to Lisbon”.").click()
    expect(page).to_have_url(re.compile(rf"/post/{post.pk}/\?page=1#comment-{reply.pk}$"))
    landed = page.locator(f"#comment-{reply.pk}")
    expect(landed).to_be_visible()
    expect(landed).to_contain_text("so was I, what a city!")
    expect(landed.get_by_role("link", name="@alice")).to_be_visible()
    assert not Notification.objects.filter(recipient=alice, read=False).exists()
