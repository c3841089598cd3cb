"""Appointments at the ends of the calendar: refused when entered, and harmless if a row holds one anyway."""

from datetime import UTC, datetime

import pytest

from schedule.models import Appointment
from schedule.tests.factories import AppointmentFactory
from schedule.tests.test_views import appointment_data
from talks.models import Talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Enter a date between the years 1900 and 2200."


def _put(appointment, **fields):
    """Write straight to the database, past every validator (as rows from before the range did)."""
    Appointment.objects.filter(pk=appointment.pk).update(**fields)


# --- rows already outside the range -----------------------------------------------------------------------


def test_an_appointment_at_the_end_of_the_calendar_renders_east_of_utc(reader_client, reader):
    appointment = AppointmentFactory(owner=reader, title="Last call")
    _put(
        appointment,
        start=datetime(9999, 12, 31, 23, tzinfo=UTC),
        end=datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
    )
    reader_client.cookies["tz"] = "Pacific/Kiritimati"
    for url in ("/schedule/", f"/schedule/{appointment.pk}/", f"/schedule/{appointment.pk}/edit/"):
        response = reader_client.get(url)
        assert response.status_code == 200 and "Last call" in response.content.decode()
    assert Appointment.objects.get().start.year == 9999


def test_an_appointment_at_the_start_of_the_calendar_renders_west_of_utc(reader_client, reader):
    appointment = AppointmentFactory(owner=reader, title="First light")
    _put(appointment, start=datetime(1, 1, 1, tzinfo=UTC), end=datetime(1, 1, 1, 1, tzinfo=UTC))
    reader_client.cookies["tz"] = "America/New_York"
    for url in ("/schedule/past/", f"/schedule/{appointment.pk}/", f"/schedule/{appointment.pk}/edit/"):
        response = reader_client.get(url)
        assert response.status_code == 200 and "First light" in response.content.decode()


def test_all_day_appointments_at_both_ends_render_and_export(reader_client, reader, client):
    first = AppointmentFactory(owner=reader, all_day=True, title="Day one")
    _put(first, start=datetime(1, 1, 1, tzinfo=UTC), end=datetime(1, 1, 1, tzinfo=UTC))  # ends as it starts
    last = AppointmentFactory(owner=reader, all_day=True, title="Day last")
    _put(last, start=datetime(9999, 12, 31, tzinfo=UTC), end=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    reader_client.cookies["tz"] = "Pacific/Kiritimati"
    assert reader_client.get("/schedule/").status_code == 200
    assert reader_client.get("/schedule/past/").status_code == 200
    reader_client.post("/schedule/calendar/reset/")
    feed = client.get(reader.calendar_feed.get_absolute_url())
    assert feed.status_code == 200 and b"Day last" in feed.content and b"Day one" in feed.content


# --- entering dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "changes", "field"),
    [
        ("America/Los_Angeles", {"start": "9999-12-31T23:59", "end": "9999-12-31T23:59"}, "start"),
        ("Asia/Tokyo", {"start": "0001-01-01T00:00"}, "start"),
        ("Pacific/Kiritimati", {"end": "9999-12-31T23:00"}, "end"),
        ("UTC", {"start": "2230-01-01T10:00", "end": "2230-01-01T11:00"}, "start"),
        ("UTC", {"all_day": "on", "start": "2030-01-01", "end": "9999-12-31"}, "end"),
        ("Asia/Tokyo", {"all_day": "on", "start": "0001-01-01", "end": "0001-01-01"}, "start"),
    ],
)
def test_an_appointment_outside_the_range_is_refused_and_nothing_saved(reader_client, zone, changes, field):
    reader_client.cookies["tz"] = zone
    response = reader_client.post("/schedule/new/", appointment_data(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [RANGE_MESSAGE]
    assert not Appointment.objects.exists()


def test_editing_an_appointment_to_the_end_of_the_calendar_changes_nothing(reader_client, reader):
    appointment = AppointmentFactory(owner=reader, title="Kept")
    reader_client.cookies["tz"] = "America/Los_Angeles"
    response = reader_client.post(
        f"/schedule/{appointment.pk}/edit/",
        appointment_data(title="Changed", start="9999-12-31T23:59", end="9999-12-31T23:59"),
    )
    assert response.status_code == 400 and response.context["form"].errors["start"] == [RANGE_MESSAGE]
    assert Appointment.objects.get().title == "Kept"


def test_an_all_day_appointment_on_the_last_day_of_the_range_is_kept(reader_client):
    reader_client.cookies["tz"] = "Pacific/Kiritimati"
    response = reader_client.post(
        "/schedule/new/", appointment_data(all_day="on", start="2200-12-31", end="2200-12-31")
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.end == datetime(2201, 1, 1, tzinfo=UTC)
    assert appointment.first_day == appointment.last_day == datetime(2200, 12, 31).date()


# --- adding a talk ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when", [datetime(9999, 12, 31, 23, 30, tzinfo=UTC), datetime(2230, 1, 1, tzinfo=UTC)]
)
def test_a_talk_outside_the_range_cannot_be_added_to_a_schedule(reader_client, when):
    talk = TalkFactory()
    Talk.objects.filter(pk=talk.pk).update(date=when)
    response = reader_client.post(f"/schedule/talks/{talk.pk}/add/")
    assert response.status_code == 400
    assert "cannot be added to your schedule" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_talk_on_the_last_day_of_the_range_is_added(reader_client):
    talk = TalkFactory(date=datetime(2200, 12, 31, 23, 30, tzinfo=UTC))
    response = reader_client.post(f"/schedule/talks/{talk.pk}/add/")
    assert response.status_code == 302
    assert Appointment.objects.get().end == datetime(2201, 1, 1, 0, 30, tzinfo=UTC)
