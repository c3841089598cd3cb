"""Appointments: durations, all-day dates, what is upcoming and past, and the rules the database keeps."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from schedule.models import Appointment, utc_midnight
from schedule.templatetags.schedule_tags import duration
from schedule.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)


def test_an_appointment_has_a_duration_and_a_name():
    appointment = AppointmentFactory.build(start=NOW, end=NOW + timedelta(hours=1, minutes=30), title="")
    assert appointment.duration == timedelta(hours=1, minutes=30)
    assert str(appointment) == "(untitled)"
    assert str(AppointmentFactory.build(title="Lunch")) == "Lunch"


def test_all_day_appointments_are_dates_wherever_they_are_read():
    appointment = AppointmentFactory.build(
        all_day=True, start=utc_midnight(date(2030, 6, 15)), end=utc_midnight(date(2030, 6, 18))
    )
    with timezone.override(zoneinfo.ZoneInfo("America/Los_Angeles")):
        assert (appointment.first_day, appointment.last_day) == (date(2030, 6, 15), date(2030, 6, 17))
        assert appointment.day() == date(2030, 6, 15)


def test_timed_appointments_are_listed_under_the_readers_date():
    appointment = AppointmentFactory.build(start=datetime(2030, 6, 15, 23, 30, tzinfo=UTC))
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert appointment.day() == date(2030, 6, 16)


def test_upcoming_and_past_split_at_the_start_of_the_readers_today(reader):
    earlier_today = AppointmentFactory(owner=reader, start=NOW - timedelta(hours=3))
    tomorrow = AppointmentFactory(owner=reader, start=NOW + timedelta(days=1))
    yesterday = AppointmentFactory(owner=reader, start=NOW - timedelta(days=1))
    all_day_today = AppointmentFactory(
        owner=reader,
        all_day=True,
        start=utc_midnight(NOW.date()),
        end=utc_midnight(NOW.date()) + timedelta(days=1),
    )
    all_day_last_week = AppointmentFactory(
        owner=reader, all_day=True, start=utc_midnight(date(2030, 6, 8)), end=utc_midnight(date(2030, 6, 9))
    )
    mine = Appointment.objects.owned_by(reader)
    assert list(mine.upcoming(NOW)) == [all_day_today, earlier_today, tomorrow]
    assert list(mine.past(NOW)) == [yesterday, all_day_last_week]


def test_owned_by_never_shows_others_appointments(reader, author):
    AppointmentFactory(owner=author)
    assert not Appointment.objects.owned_by(reader).exists()


def test_the_database_refuses_an_end_before_the_start(reader):
    with pytest.raises(IntegrityError):
        AppointmentFactory(owner=reader, start=NOW, end=NOW - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=30), "1 hour 30 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(days=2, hours=23, minutes=52, seconds=12), "2 days 23 hours 52 minutes"),
        (timedelta(days=1), "1 day"),
        (timedelta(0), "0 minutes"),
        (timedelta(seconds=59), "0 minutes"),
        (5400, "1 hour 30 minutes"),
        (timedelta(hours=-1), ""),
        (None, ""),
    ],
)
def test_duration_in_words(value, words):
    assert duration(value) == words
