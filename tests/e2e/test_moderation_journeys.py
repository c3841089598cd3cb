"""The trust-and-safety journey in a real browser: a member reports a post, a moderator hides it from the
queue and suspends its author, the author sees the notice, the reporter gets the outcome."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, ModeratorFactory, UserFactory
from blog.models import Moderation, Post
from blog.tests.factories import PostFactory
from tests.e2e.helpers import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_hide_suspend_and_tell(page, live_server, mailoutbox):
    spammer = UserFactory(username="spammer")
    reporter = UserFactory(username="reporter")
    moderator = ModeratorFactory(username="mod")
    post = PostFactory(author=spammer, body="Cheap watches at cheap-watches dot example")

    # A member reports the post from its page.
    log_in(page, reporter)
    page.goto(post.get_absolute_url())
    page.locator(f"#post-{post.pk}").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a post")
    page.get_by_label("Spam").check()
    page.get_by_label("Message").fill("Adverts, again")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("alert")).to_contain_text("A moderator will look at your report.")
    page.goto(f"/user/{spammer.username}/")  # and its author
    page.get_by_role("link", name="Report this user").click()
    page.get_by_label("Spam").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("alert")).to_contain_text("A moderator will look at your report.")
    log_out(page)

    # The moderator sees the count in the navbar, opens the queue, hides the post, then suspends its author.
    log_in(page, moderator)
    expect(page.locator("[data-open-reports]")).to_have_text("2")
    page.get_by_role("link", name=re.compile("^Reports")).click()
    report = page.locator("[data-report]", has_text="reported a post")
    expect(report).to_contain_text("reporter reported a post: Spam")
    expect(report).to_contain_text("Adverts, again")
    report.get_by_label("Action").select_option(label="Hide the post or comment")
    report.get_by_label("Note").fill("Advertising")
    report.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("alert")).to_contain_text("The report has been resolved.")
    expect(page.locator("[data-report]")).to_have_count(1)
    assert Post.objects.get(pk=post.pk).moderation == Moderation.HIDDEN
    assert [message.to for message in mailoutbox] == [[reporter.email]]
    assert "A moderator hid it." in mailoutbox[0].body

    report = page.locator("[data-report]", has_text="reported a user")
    report.get_by_label("Action").select_option(label="Suspend the author for 7 days")
    report.get_by_label("Note").fill("Repeated advertising")
    report.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("alert")).to_contain_text("The report has been resolved.")
    spammer.refresh_from_db()
    assert spammer.is_suspended
    # The reporter hears the outcome again; the author is emailed the suspension.
    assert [message.to for message in mailoutbox[1:]] == [[reporter.email], [spammer.email]]
    assert "A moderator suspended its author." in mailoutbox[1].body
    assert "Repeated advertising" in mailoutbox[2].body
    log_out(page)

    # The author logs in and can only read the notice; the post is gone for everyone else.
    page.goto("/auth/login/")
    page.locator("[name=login]").fill(spammer.email)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/suspended/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is suspended")
    expect(page.locator("main, body").first).to_contain_text("Repeated advertising")
    page.goto("/talks/")
    expect(page).to_have_url(re.compile(r"/suspended/$"))
    page.get_by_role("button", name="Log Out").last.click()
    page.goto(post.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("Cheap watches"))
    assert "cheap-watches" not in page.content()
