"""Times in the cached post cards (blog.cards) in a real browser: the card holds the moment in UTC, and the
browser writes it in the reader's words and zone ("… ago", a talk's local date); without JavaScript the
UTC text stays."""

import datetime

import pytest
from playwright.sync_api import expect

from blog.tests.factories import PostFactory
from talks.tests.factories import TalkFactory
from tests.e2e.helpers import watch_for_errors

pytestmark = pytest.mark.django_db(transaction=True)

TALK_DATE = datetime.datetime(2030, 5, 4, 23, 30, tzinfo=datetime.UTC)  # 5 May, 13:30 in Kiritimati


def open_home(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", timezone_id="Pacific/Kiritimati", **options
    )
    page = context.new_page()
    problems = watch_for_errors(page)
    page.goto("/")
    return context, page, problems


def test_the_browser_writes_cached_times_in_the_readers_zone(browser, live_server):
    post = PostFactory(title="Fresh")
    talk = TalkFactory(date=TALK_DATE)
    context, page, problems = open_home(browser, live_server)
    # The first visit tells the server the browser's zone (site.js's cookie); pages say it from then on.
    page.reload()
    expect(page.locator(f"#post-{post.pk} .post-date time")).to_have_text("now")
    talk_date = page.locator(f"#post-{talk.post.pk} .talk-date time")
    expect(talk_date).to_contain_text("May 5, 2030")
    expect(talk_date).not_to_contain_text("UTC")
    context.close()
    assert not problems


def test_without_javascript_cached_times_stay_in_utc(browser, live_server):
    PostFactory(title="Fresh")
    talk = TalkFactory(date=TALK_DATE)
    context, page, problems = open_home(browser, live_server, java_script_enabled=False)
    expect(page.locator(f"#post-{talk.post.pk} .talk-date time")).to_have_text("May 4, 2030, 11:30 p.m. UTC")
    context.close()
    assert not problems
