"""A talk in the cached post cards (blog.cards): its date is the moment in UTC, written in the reader's zone
by the browser, and a changed date or venue shows on the next request."""

import datetime

import pytest

from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def test_a_talks_date_is_the_moment_in_utc_in_the_shared_card(login, reader):
    reader.timezone = "Pacific/Kiritimati"
    reader.save()
    TalkFactory(date=datetime.datetime(2030, 5, 4, 23, 30, tzinfo=datetime.UTC))
    page = login(reader).get("/").content.decode()
    # the list of posts; the sidebar's talks coming up are the reader's own, in their zone
    content = page.split('<ul class="post-list')[1].split("</ul>")[0]
    assert '<time datetime="2030-05-04T23:30:00+00:00" data-localtime>' in content
    assert "May 4, 2030" in content and " UTC</time>" in content and "May 5" not in content


@pytest.mark.parametrize("field", ["date", "venue"], ids=["date", "venue"])
def test_a_changed_talk_shows_on_the_next_request(client, field):
    talk = TalkFactory(date=datetime.datetime(2030, 5, 4, 18, 0, tzinfo=datetime.UTC), venue="Lisbon")
    assert "Lisbon" in client.get("/").content.decode()
    if field == "date":
        talk.date = datetime.datetime(2031, 6, 7, 18, 0, tzinfo=datetime.UTC)
    else:
        talk.venue = "Porto"
    talk.save()
    content = client.get("/").content.decode()
    assert ("2031-06-07T18:00:00+00:00" if field == "date" else "Porto") in content
