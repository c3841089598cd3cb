"""Blog journeys in a real browser: writing with the live preview, commenting, moderating, deleting."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import ModeratorFactory, UserFactory
from blog.models import Comment, Post
from blog.tests.factories import PostFactory
from tests.e2e.helpers import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_a_post_with_the_live_preview(page, live_server):
    log_in(page, UserFactory(username="writer"))
    editor = page.get_by_label("What's on your mind?")
    editor.fill("Hello **world**, see <https://example.com>")
    preview = page.locator("[data-preview]")
    expect(preview.locator("strong")).to_have_text("world")
    expect(preview.get_by_role("link", name="https://example.com")).to_have_attribute(
        "rel", "nofollow ugc noopener"
    )
    editor.press_sequentially(" <script>alert(1)</script>")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("alert")).to_contain_text("Your post has been published.")
    first = page.locator("li.post").first
    expect(first.locator(".post-body strong")).to_have_text("world")
    expect(first.get_by_role("link", name="Edit", exact=True)).to_be_visible()
    assert Post.objects.get().author.username == "writer"


def test_preview_button_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, UserFactory(username="writer"))
    page.get_by_label("What's on your mind?").fill("Plain *markdown*")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("[data-preview] em")).to_have_text("markdown")
    assert not Post.objects.exists()
    context.close()


def test_comment_then_a_moderator_disables_it_and_the_reader_sees_the_notice(browser, page, live_server):
    post = PostFactory(author=UserFactory(username="author"), body="A post worth discussing")
    reader = UserFactory(username="reader")
    log_in(page, reader)
    page.goto(f"/post/{post.pk}/")
    page.get_by_label("Enter your comment").fill("I *disagree* strongly")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert")).to_contain_text("Your comment has been published.")
    comment = Comment.objects.get()
    expect(page).to_have_url(re.compile(rf"/post/{post.pk}/\?page=1#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk} em")).to_have_text("disagree")

    moderator_context = browser.new_context(base_url=live_server.url)
    moderator_page = moderator_context.new_page()
    log_in(moderator_page, ModeratorFactory(username="mod"))
    moderator_page.get_by_role("link", name="Moderate").click()
    expect(moderator_page.locator("h1")).to_have_text("Comment Moderation")
    moderator_page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Disable").click()
    expect(moderator_page.get_by_role("alert")).to_contain_text("The comment has been disabled.")
    expect(
        moderator_page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Enable")
    ).to_be_visible()
    moderator_context.close()

    page.reload()
    own = page.locator(f"#comment-{comment.pk}")
    expect(own).to_contain_text("This comment has been disabled by a moderator.")
    expect(own).not_to_contain_text("disagree")


def test_the_author_deletes_a_post_after_confirming(page, live_server):
    author = UserFactory(username="author")
    post = PostFactory(author=author, title="Regrettable")
    log_in(page, author)
    page.goto(f"/post/{post.pk}/")
    page.get_by_role("link", name="Delete").click()
    expect(page.locator("h1")).to_have_text("Delete Post")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("Your post has been deleted.")
    expect(page.get_by_text("Regrettable")).to_have_count(0)
    assert not Post.objects.exists()
    log_out(page)
