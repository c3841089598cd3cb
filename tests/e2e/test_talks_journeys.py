"""Talk journeys in a real browser: a speaker publishes a talk with a video, a visitor comments, the speaker
approves the comment in place."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from blog.models import Comment
from talks.models import Talk
from talks.tests.factories import GuestCommentFactory, TalkFactory
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_publish_a_talk_with_a_video(page, live_server):
    log_in(page, UserFactory(username="speaker"))
    page.get_by_role("link", name="Talks", exact=True).click()
    page.get_by_role("link", name="New Talk").click()
    page.get_by_label("Title").fill("Flask by Example")
    page.get_by_label("Date").fill("2030-04-12T15:30")
    page.get_by_label("Venue*", exact=True).fill("PyCon 2030")
    page.get_by_label("Venue URL").fill("https://us.pycon.org/2030/")
    page.get_by_label("Abstract").fill("Build a *real* site, step by step.")
    expect(page.locator("[data-preview] em")).to_have_text("real")  # the live preview, as for posts
    page.get_by_label("Video URL").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m5s")
    page.get_by_label("Slides URL").fill("https://example.com/slides/<b>")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#id_slides_url_error, .invalid-feedback")).to_contain_text("embed code")
    page.get_by_label("Slides URL").fill("https://speakerdeck.com/speaker/flask-by-example")
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("alert")).to_contain_text("The talk was added successfully.")
    talk = Talk.objects.get()
    expect(page).to_have_url(re.compile(rf"/talks/{talk.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask by Example")
    expect(page.locator(".talk-details")).to_contain_text("April 12, 2030, 3:30 p.m. UTC")
    player = page.locator("iframe")
    expect(player).to_have_count(1)
    expect(player).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=65")
    expect(player).to_have_attribute(
        "sandbox",
        "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox",
    )
    expect(player).to_have_attribute("loading", "lazy")
    expect(page.get_by_role("link", name="https://speakerdeck.com/speaker/flask-by-example")).to_be_visible()

    page.goto("/")  # talks are posts: the timeline shows it, with its details
    first = page.locator("li.post").first
    expect(first.locator(".badge", has_text="Talk")).to_be_visible()
    expect(first).to_contain_text("PyCon 2030")


def test_a_visitor_comments_and_the_speaker_approves_in_place(browser, page, live_server, mailoutbox):
    speaker = UserFactory(username="speaker")
    talk = TalkFactory(post__author=speaker, post__title="Flask by Example")

    visitor = browser.new_context(base_url=live_server.url)
    guest_page = visitor.new_page()
    guest_page.goto(f"/talks/{talk.pk}/")
    guest_page.get_by_label("Name").fill("Ada")
    guest_page.get_by_label("Email").fill("ada@example.net")
    guest_page.get_by_role("textbox", name="Comment").fill("Will the *slides* be online?")
    expect(guest_page.get_by_label("Notify me of new comments")).to_be_checked()
    guest_page.get_by_role("button", name="Submit").click()
    expect(guest_page.get_by_role("alert")).to_contain_text(
        "Your comment will be published after it is reviewed by the presenter."
    )
    expect(guest_page.get_by_text("Will the slides be online?")).to_have_count(0)
    comment = Comment.objects.get()
    assert not comment.approved
    assert [message.to for message in mailoutbox] == [[speaker.email]]  # the speaker is told

    log_in(page, speaker)
    expect(page.locator("[data-pending-count]")).to_have_text("1")
    page.get_by_role("link", name=re.compile("Pending")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments waiting for approval")
    page.get_by_role("link", name="Flask by Example").click()
    item = page.locator(f"#comment-{comment.pk}")
    expect(item).to_contain_text("Waiting for approval")
    expect(item).to_contain_text("ada@example.net")
    page.evaluate("window.notReloaded = true")
    item.get_by_role("button", name="Approve").click()
    expect(item.locator("[data-moderation-status]")).to_have_text("Approved")
    expect(page.get_by_role("alert")).to_contain_text("The comment has been approved.")
    expect(item).not_to_contain_text("Waiting for approval")
    expect(page.locator("[data-pending-count]")).to_be_hidden()
    assert page.evaluate("window.notReloaded") is True  # in place: the page was not loaded again
    assert Comment.objects.get().approved

    guest_page.reload()
    expect(guest_page.locator(f"#comment-{comment.pk}")).to_contain_text("Will the slides be online?")
    expect(guest_page.locator(f"#comment-{comment.pk}")).not_to_contain_text("ada@example.net")
    visitor.close()


def test_the_speaker_deletes_a_pending_comment_in_place(page, live_server):
    speaker = UserFactory(username="speaker")
    talk = TalkFactory(post__author=speaker)
    comment = GuestCommentFactory(post=talk.post, guest_name="Spammer", body="Buy!")
    log_in(page, speaker)
    page.goto(f"/talks/{talk.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Delete").click()
    expect(page.locator(f"#comment-{comment.pk} [data-moderation-status]")).to_have_text("Deleted")
    assert not Comment.objects.exists()
