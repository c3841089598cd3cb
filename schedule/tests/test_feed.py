"""The calendar feed: its secret address, resetting it, and the iCalendar it serves, parsed back."""

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from schedule.models import CalendarFeed, utc_midnight
from schedule.tests.factories import AppointmentFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(reader):
    return CalendarFeed.objects.create(owner=reader, token=CalendarFeed.new_token())


def fetch(client, feed):
    response = client.get(f"/schedule/calendar/{feed.token}.ics")
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_is_an_icalendar_document_for_calendar_programs(client, feed):
    response, calendar = fetch(client, feed)  # no login: the token is the credential
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="schedule.ics"'
    assert response["Cache-Control"] == "private, no-cache"
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Flasky//Schedule//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Flasky: schedule of reader"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert not calendar.walk("VEVENT")


def test_a_timed_appointment_with_every_field(client, reader, feed):
    appointment = AppointmentFactory(
        owner=reader,
        title="Review, planning; and <b>more</b>",
        start=datetime(2030, 4, 16, 8, 0, tzinfo=UTC),
        end=datetime(2030, 4, 16, 9, 30, tzinfo=UTC),
        location="Room 1, floor 2; east wing",
        description="Line one\nLine two, with a comma; and a semicolon\\ and a backslash",
    )
    _response, calendar = fetch(client, feed)
    event = events_by_uid(calendar)[f"appointment-{appointment.pk}@testserver"]
    assert event.decoded("DTSTART") == datetime(2030, 4, 16, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2030, 4, 16, 9, 30, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == appointment.modified.replace(microsecond=0)
    assert event.decoded("CREATED") == appointment.created.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == appointment.modified.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Review, planning; and <b>more</b>"
    assert str(event["LOCATION"]) == "Room 1, floor 2; east wing"
    assert str(event["DESCRIPTION"]) == appointment.description
    assert str(event["URL"]) == f"http://testserver/schedule/{appointment.pk}/"


def test_text_is_escaped_and_lines_are_folded(client, reader, feed):
    AppointmentFactory(owner=reader, title="A, B; C", description="x" * 200)
    response, _calendar = fetch(client, feed)
    raw = response.content.decode()
    assert "SUMMARY:A\\, B\\; C\r\n" in raw
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))


def test_an_all_day_appointment_is_a_date_event_with_an_exclusive_end(client, reader, feed):
    appointment = AppointmentFactory(
        owner=reader,
        all_day=True,
        title="Conference",
        start=utc_midnight(date(2030, 5, 1)),
        end=utc_midnight(date(2030, 5, 4)),
    )
    response, calendar = fetch(client, feed)
    event = events_by_uid(calendar)[f"appointment-{appointment.pk}@testserver"]
    assert event.decoded("DTSTART") == date(2030, 5, 1)
    assert event.decoded("DTEND") == date(2030, 5, 4)  # the 1st to the 3rd, inclusive
    assert "DTSTART;VALUE=DATE:20300501" in response.content.decode()


def test_an_untitled_appointment_and_one_without_extras(client, reader, feed):
    appointment = AppointmentFactory(owner=reader, title="", location="", description="")
    _response, calendar = fetch(client, feed)
    event = events_by_uid(calendar)[f"appointment-{appointment.pk}@testserver"]
    assert str(event["SUMMARY"]) == "(untitled)"
    assert "LOCATION" not in event and "DESCRIPTION" not in event


def test_every_appointment_past_and_future_with_stable_uids(client, reader, feed):
    appointments = [
        AppointmentFactory(
            owner=reader, start=datetime(2020, 1, 1, 10, tzinfo=UTC), end=datetime(2020, 1, 1, 11, tzinfo=UTC)
        ),
        AppointmentFactory(owner=reader),
        AppointmentFactory(owner=reader, talk=TalkFactory()),
    ]
    _response, first = fetch(client, feed)
    appointments[1].title = "Renamed"
    appointments[1].save()
    _response, second = fetch(client, feed)
    assert (
        set(events_by_uid(first))
        == set(events_by_uid(second))
        == {f"appointment-{appointment.pk}@testserver" for appointment in appointments}
    )
    assert str(events_by_uid(second)[f"appointment-{appointments[1].pk}@testserver"]["SUMMARY"]) == "Renamed"


def test_the_feed_query_count_is_fixed(client, reader, feed, django_assert_num_queries):
    AppointmentFactory.create_batch(30, owner=reader)
    with django_assert_num_queries(2):  # the feed with its owner, the appointments
        client.get(f"/schedule/calendar/{feed.token}.ics")


# --- the address ------------------------------------------------------------------------------------------


def test_the_schedule_offers_to_create_an_address_then_shows_it(reader_client, reader):
    assert "Create a private calendar address" in reader_client.get("/schedule/").content.decode()
    response = reader_client.post("/schedule/calendar/reset/")
    assert response["Location"] == "/schedule/#calendar-feed"
    feed = CalendarFeed.objects.get(owner=reader)
    assert len(feed.token) >= 43  # 32 random bytes
    content = reader_client.get("/schedule/").content.decode()
    assert f'value="http://testserver/schedule/calendar/{feed.token}.ics"' in content
    assert f'href="webcal://testserver/schedule/calendar/{feed.token}.ics"' in content


def test_resetting_the_address_invalidates_the_old_one(client, reader_client, reader, feed):
    old = feed.token
    response = reader_client.post("/schedule/calendar/reset/", follow=True)
    assert "The old one no longer works." in response.content.decode()
    new = CalendarFeed.objects.get(owner=reader).token
    assert new != old
    assert client.get(f"/schedule/calendar/{old}.ics").status_code == 404
    assert client.get(f"/schedule/calendar/{new}.ics").status_code == 200


def test_resetting_is_a_post_for_members(client, reader_client):
    assert reader_client.get("/schedule/calendar/reset/").status_code == 405
    assert client.post("/schedule/calendar/reset/").status_code == 302
    assert not CalendarFeed.objects.exists()


def test_a_talks_links_in_the_feed_all_start_with_the_site_address(
    reader_client, client, reader, feed, settings
):
    """The talk's address written into the description and the event's own URL both use SITE_URL, whatever
    host the request that added the talk came in by."""
    settings.SITE_URL = "https://flasky.example.com"
    talk = TalkFactory()
    response = reader_client.post(f"/schedule/talks/{talk.pk}/add/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 302
    _response, calendar = fetch(client, feed)
    [event] = calendar.walk("VEVENT")
    assert str(event["DESCRIPTION"]).endswith(f"\n\nhttps://flasky.example.com/talks/{talk.pk}/")
    assert str(event["URL"]).startswith("https://flasky.example.com/schedule/")
    assert "127.0.0.1" not in _response.content.decode()


def test_appointments_made_before_keep_their_text_and_link_the_talk_on_the_site_address(reader):
    import importlib

    from django.apps import apps

    talk = TalkFactory()
    old = AppointmentFactory(
        owner=reader,
        talk=talk,
        description=f"My notes: see http://other.example/x/\n\nhttp://internal:8000/talks/{talk.pk}/",
    )
    migration = importlib.import_module("schedule.migrations.0003_talk_links_on_site_url")
    migration.rewrite(apps, None)
    old.refresh_from_db()
    assert old.description == f"My notes: see http://other.example/x/\n\nhttp://testserver/talks/{talk.pk}/"
