"""Talk dates at the ends of the calendar: refused when entered, and harmless if a row holds one anyway."""

from datetime import UTC, datetime

import pytest

from talks.models import Talk
from talks.tests.factories import TalkFactory
from talks.tests.test_views_talks import talk_data

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Enter a date between the years 1900 and 2200."


# --- rows already outside the range (written before the range existed, or straight to the database) -------


@pytest.fixture
def last_minute_talk(author):
    """A talk at the calendar's last half hour, put in the database past every validator."""
    talk = TalkFactory(post__author=author, post__title="At the end of time", post__body="Tick tock")
    Talk.objects.filter(pk=talk.pk).update(date=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    return talk


@pytest.mark.parametrize(
    "url",
    ["/", "/talks/", "/talks/{pk}/", "/user/{username}/", "/talks/by/{username}/", "/search/?q=tick"],
)
@pytest.mark.parametrize("zone", ["Europe/Madrid", "Pacific/Kiritimati", "America/New_York"])
def test_a_talk_at_the_end_of_the_calendar_renders_in_every_zone(client, last_minute_talk, author, url, zone):
    client.cookies["tz"] = zone
    response = client.get(url.format(pk=last_minute_talk.pk, username=author.username))
    assert response.status_code == 200
    # Where the reader's zone cannot show it, the date is shown in UTC.
    if "{pk}" in url:
        assert "9999" in response.content.decode()
    assert Talk.objects.get().date == datetime(9999, 12, 31, 23, 30, tzinfo=UTC)


def test_a_talk_at_the_start_of_the_calendar_renders_west_of_utc(client, author):
    talk = TalkFactory(post__author=author)
    Talk.objects.filter(pk=talk.pk).update(date=datetime(1, 1, 1, tzinfo=UTC))
    client.cookies["tz"] = "America/New_York"
    for url in ("/talks/past/", f"/talks/{talk.pk}/", f"/user/{author.username}/"):
        assert client.get(url).status_code == 200


def test_the_admin_shows_and_lists_a_talk_at_the_end_of_the_calendar(administrator_client, last_minute_talk):
    administrator_client.cookies["tz"] = "Europe/Madrid"
    assert administrator_client.get("/admin/talks/talk/").status_code == 200
    assert administrator_client.get(f"/admin/talks/talk/{last_minute_talk.pk}/change/").status_code == 200


# --- entering dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "date"),
    [
        ("Europe/Madrid", "9999-12-31T23:30"),
        ("America/Los_Angeles", "9999-12-31T23:59"),
        ("Asia/Tokyo", "0001-01-01T00:00"),
        ("UTC", "2201-01-02T00:00"),
        ("UTC", "1899-12-30T00:00"),
    ],
)
def test_a_talk_outside_the_range_is_refused_and_nothing_saved(author_client, zone, date):
    author_client.cookies["tz"] = zone
    response = author_client.post("/talks/new/", talk_data(date=date))
    assert response.status_code == 400
    assert response.context["form"].errors["date"] == [RANGE_MESSAGE]
    assert not Talk.objects.exists()


@pytest.mark.parametrize(
    ("zone", "date", "stored"),
    [
        ("Etc/GMT-14", "1900-01-01T00:00", datetime(1899, 12, 31, 10, tzinfo=UTC)),  # UTC+14
        ("Etc/GMT+12", "2200-12-31T23:59", datetime(2201, 1, 1, 11, 59, tzinfo=UTC)),  # UTC-12
    ],
)
def test_the_ends_of_the_range_are_accepted_in_every_zone(author_client, zone, date, stored):
    author_client.cookies["tz"] = zone
    response = author_client.post("/talks/new/", talk_data(date=date))
    assert response.status_code == 302
    assert Talk.objects.get().date == stored


def test_editing_a_talk_to_the_end_of_the_calendar_is_refused(author_client, author):
    talk = TalkFactory(post__author=author)
    author_client.cookies["tz"] = "America/Los_Angeles"
    response = author_client.post(f"/talks/{talk.pk}/edit/", talk_data(date="9999-12-31T23:59"))
    assert response.status_code == 400 and response.context["form"].errors["date"] == [RANGE_MESSAGE]
    assert Talk.objects.get().date == talk.date


@pytest.mark.parametrize(
    ("zone", "date", "time"),
    [("America/Los_Angeles", "9999-12-31", "23:59:00"), ("Asia/Tokyo", "0001-01-01", "00:00:00")],
)
def test_the_admin_refuses_a_talk_outside_the_range(administrator_client, zone, date, time):
    talk = TalkFactory()
    administrator_client.cookies["tz"] = zone
    response = administrator_client.post(
        f"/admin/talks/talk/{talk.pk}/change/",
        {"post": talk.pk, "date_0": date, "date_1": time, "venue": "Anywhere"},
    )
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.context["adminform"].form.errors["date"]
    assert Talk.objects.get().date == talk.date


def test_the_speaker_can_open_and_fix_a_talk_at_the_end_of_the_calendar(author_client, last_minute_talk):
    author_client.cookies["tz"] = "Europe/Madrid"
    assert author_client.get(f"/talks/{last_minute_talk.pk}/edit/").status_code == 200
    response = author_client.post(f"/talks/{last_minute_talk.pk}/edit/", talk_data(date="2030-04-12T15:30"))
    assert response.status_code == 302
    assert Talk.objects.get().date == datetime(2030, 4, 12, 13, 30, tzinfo=UTC)
