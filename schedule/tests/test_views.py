"""The schedule pages: the list by day, creating, editing and deleting appointments, adding a talk."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from conftest import Client
from schedule.models import Appointment, utc_midnight
from schedule.tests.factories import AppointmentFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def appointment_data(**changes):
    return {
        "title": "Important Meeting",
        "start": "2030-04-16T10:00",
        "end": "2030-04-16T11:30",
        "location": "The Office",
        "description": "Bring a sharpened #2 pencil.\nAnd coffee.",
        **changes,
    }


# --- the list ---------------------------------------------------------------------------------------------


def test_the_schedule_needs_login(client):
    for url in ("/schedule/", "/schedule/past/", "/schedule/new/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_the_list_groups_upcoming_appointments_by_day_in_the_readers_zone(reader_client, reader):
    reader_client.cookies["tz"] = "Asia/Tokyo"
    base = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=10)
    late = AppointmentFactory(
        owner=reader, title="Late", start=base + timedelta(hours=20)
    )  # next day in Tokyo
    early = AppointmentFactory(owner=reader, title="Early", start=base + timedelta(hours=1))
    AppointmentFactory(owner=reader, title="Long ago", start=base - timedelta(days=40))
    response = reader_client.get("/schedule/")
    days = response.context["days"]
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert [day["date"] for day in days] == [
        early.start.astimezone(tokyo).date(),
        late.start.astimezone(tokyo).date(),
    ]
    assert [day["appointments"] for day in days] == [[early], [late]]
    content = response.content.decode()
    assert "Early" in content and "Long ago" not in content
    assert "(1 hour)" in content


def test_the_past_list_is_most_recent_first(reader_client, reader):
    older = AppointmentFactory(owner=reader, start=timezone.now() - timedelta(days=20))
    newer = AppointmentFactory(owner=reader, start=timezone.now() - timedelta(days=2))
    AppointmentFactory(owner=reader)
    days = reader_client.get("/schedule/past/").context["days"]
    assert [day["appointments"] for day in days] == [[newer], [older]]


def test_an_empty_schedule_says_so(reader_client):
    assert "No appointments." in reader_client.get("/schedule/").content.decode()


def test_all_day_appointments_come_first_in_their_day_and_say_all_day(reader_client, reader):
    day = (timezone.now() + timedelta(days=5)).date()
    timed = AppointmentFactory(owner=reader, start=utc_midnight(day) + timedelta(hours=9))
    whole = AppointmentFactory(
        owner=reader, all_day=True, start=utc_midnight(day), end=utc_midnight(day) + timedelta(days=1)
    )
    response = reader_client.get("/schedule/")
    assert response.context["days"][0]["appointments"] == [whole, timed]
    assert "All day" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("url", "days"), [("/schedule/", 3), ("/schedule/past/", -3)])
def test_list_query_count_is_fixed(reader_client, reader, rows, url, days, django_assert_num_queries):
    start = timezone.now() + timedelta(days=days)
    AppointmentFactory.create_batch(rows, owner=reader, start=start, end=start + timedelta(hours=1))
    reader_client.get(url)
    # the page's keys, its appointments, the calendar feed (permissions come from the role, no query)
    # (the session's user is its copy kept in the cache: accounts.backends)
    with django_assert_num_queries(3):
        response = reader_client.get(url)
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999"])
def test_bad_page_numbers_are_404(reader_client, reader, page):
    AppointmentFactory(owner=reader)
    assert reader_client.get(f"/schedule/?page={page}").status_code == 404


# --- creating and editing ---------------------------------------------------------------------------------


def test_creating_an_appointment_in_the_readers_time_zone(reader_client, reader):
    reader_client.cookies["tz"] = "Europe/Madrid"
    response = reader_client.post("/schedule/new/", appointment_data())
    assert response["Location"] == "/schedule/"
    appointment = Appointment.objects.get()
    assert appointment.owner == reader
    assert appointment.start == datetime(2030, 4, 16, 8, 0, tzinfo=UTC)  # 10:00 in Madrid (summer time)
    assert appointment.duration == timedelta(hours=1, minutes=30)
    page = reader_client.get("/schedule/").content.decode()
    assert "The appointment has been added to your schedule." in page and "(1 hour 30 minutes)" in page


def test_an_end_before_the_start_is_refused_and_nothing_saved(reader_client):
    response = reader_client.post("/schedule/new/", appointment_data(end="2030-04-16T09:59"))
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == ["The end must not be before the start."]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": ""}, "start"),
        ({"end": ""}, "end"),
        ({"start": "tomorrow-ish"}, "start"),
        ({"title": "x" * 256}, "title"),
        ({"location": "x" * 256}, "location"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_appointments_are_refused(reader_client, changes, field):
    response = reader_client.post("/schedule/new/", appointment_data(**changes))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_an_all_day_appointment_keeps_its_dates(reader_client):
    reader_client.cookies["tz"] = "America/New_York"
    reader_client.post("/schedule/new/", appointment_data(all_day="on", start="2030-04-16", end="2030-04-18"))
    appointment = Appointment.objects.get()
    assert appointment.all_day
    assert (appointment.first_day, appointment.last_day) == (date(2030, 4, 16), date(2030, 4, 18))
    assert appointment.start == datetime(2030, 4, 16, tzinfo=UTC)
    assert appointment.end == datetime(2030, 4, 19, tzinfo=UTC)


def test_an_all_day_appointment_ignores_the_times_given(reader_client):
    reader_client.post(
        "/schedule/new/", appointment_data(all_day="on", start="2030-04-16T18:00", end="2030-04-16T08:00")
    )
    appointment = Appointment.objects.get()
    assert (appointment.first_day, appointment.last_day) == (date(2030, 4, 16), date(2030, 4, 16))


def test_an_all_day_appointment_ending_before_it_starts_is_refused(reader_client):
    response = reader_client.post(
        "/schedule/new/", appointment_data(all_day="on", start="2030-04-16", end="2030-04-15")
    )
    assert response.status_code == 400 and not Appointment.objects.exists()


def test_the_detail_page(reader_client, reader):
    appointment = AppointmentFactory(owner=reader, title="Dentist", description="Line one\nLine <b>two</b>")
    content = reader_client.get(f"/schedule/{appointment.pk}/").content.decode()
    assert "<h1>Dentist</h1>" in content
    assert "Line one<br>Line &lt;b&gt;two&lt;/b&gt;" in content
    assert "The Office" in content and "(1 hour)" in content


def test_editing_shows_local_times_and_saves_changes(reader_client, reader):
    appointment = AppointmentFactory(owner=reader, start=datetime(2030, 1, 1, 12, 0, tzinfo=UTC))
    reader_client.cookies["tz"] = "Asia/Tokyo"
    assert (
        'value="2030-01-01T21:00"' in reader_client.get(f"/schedule/{appointment.pk}/edit/").content.decode()
    )
    response = reader_client.post(f"/schedule/{appointment.pk}/edit/", appointment_data(title="Renamed"))
    assert response["Location"] == f"/schedule/{appointment.pk}/"
    appointment.refresh_from_db()
    assert appointment.title == "Renamed" and appointment.owner == reader


def test_editing_an_all_day_appointment_shows_its_dates(reader_client, reader):
    appointment = AppointmentFactory(
        owner=reader, all_day=True, start=utc_midnight(date(2030, 5, 1)), end=utc_midnight(date(2030, 5, 3))
    )
    reader_client.cookies["tz"] = "America/Los_Angeles"
    content = reader_client.get(f"/schedule/{appointment.pk}/edit/").content.decode()
    assert 'value="2030-05-01T00:00"' in content and 'value="2030-05-02T00:00"' in content


def test_editing_with_an_end_before_the_start_changes_nothing(reader_client, reader):
    appointment = AppointmentFactory(owner=reader, title="Kept")
    response = reader_client.post(
        f"/schedule/{appointment.pk}/edit/", appointment_data(title="Changed", end="2030-04-16T09:00")
    )
    assert response.status_code == 400
    assert Appointment.objects.get().title == "Kept"


# --- deleting ---------------------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_without_javascript(reader_client, reader):
    appointment = AppointmentFactory(owner=reader)
    confirm = reader_client.get(f"/schedule/{appointment.pk}/delete/")
    assert "Delete Appointment" in confirm.content.decode() and Appointment.objects.exists()
    response = reader_client.post(f"/schedule/{appointment.pk}/delete/")
    assert response["Location"] == "/schedule/"
    assert not Appointment.objects.exists()


def test_delete_by_a_delete_request_answers_json(reader_client, reader):
    appointment = AppointmentFactory(owner=reader)
    response = reader_client.delete(f"/schedule/{appointment.pk}/delete/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"status": "OK", "message": "The appointment has been deleted."}
    assert not Appointment.objects.exists()


def test_delete_requests_need_the_csrf_token(reader):
    appointment = AppointmentFactory(owner=reader)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.delete(f"/schedule/{appointment.pk}/delete/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    client.get("/schedule/")  # a page sets the CSRF cookie; the script sends it back as a header
    token = client.cookies["csrftoken"].value
    response = client.delete(
        f"/schedule/{appointment.pk}/delete/", HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and not Appointment.objects.exists()


def test_an_unknown_appointment_is_a_json_404_for_scripts(reader_client):
    response = reader_client.delete("/schedule/999999/delete/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404 and response.json()["error"] == "not found"


def test_delete_refuses_other_methods(reader_client, reader):
    appointment = AppointmentFactory(owner=reader)
    assert reader_client.put(f"/schedule/{appointment.pk}/delete/").status_code == 405
    assert Appointment.objects.exists()


# --- adding a talk ----------------------------------------------------------------------------------------


def test_adding_a_talk_to_the_schedule(reader_client, reader):
    talk = TalkFactory(post__title="Flask by Example", venue="PyCon", post__author__username="miguel")
    response = reader_client.post(f"/schedule/talks/{talk.pk}/add/")
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/schedule/{appointment.pk}/"
    assert (appointment.owner, appointment.talk, appointment.title) == (reader, talk, "Flask by Example")
    assert (appointment.start, appointment.duration, appointment.location) == (
        talk.date,
        timedelta(hours=1),
        "PyCon",
    )
    assert (
        f"http://testserver/talks/{talk.pk}/" in appointment.description
        and "miguel" in appointment.description
    )
    page = reader_client.get(response["Location"]).content.decode()
    assert "The talk has been added to your schedule." in page and f'href="/talks/{talk.pk}/"' in page


def test_adding_a_talk_twice_keeps_one_appointment(reader_client):
    talk = TalkFactory()
    reader_client.post(f"/schedule/talks/{talk.pk}/add/")
    response = reader_client.post(f"/schedule/talks/{talk.pk}/add/", follow=True)
    assert Appointment.objects.count() == 1
    assert "This talk is already in your schedule." in response.content.decode()


def test_adding_a_talk_is_a_post_for_members(client, reader_client):
    talk = TalkFactory()
    assert reader_client.get(f"/schedule/talks/{talk.pk}/add/").status_code == 405
    assert client.post(f"/schedule/talks/{talk.pk}/add/").status_code == 302
    assert reader_client.post("/schedule/talks/999999/add/").status_code == 404
    assert not Appointment.objects.exists()


def test_a_past_talk_cannot_be_added(reader_client):
    past = TalkFactory(date=timezone.now() - timedelta(hours=2))
    response = reader_client.post(f"/schedule/talks/{past.pk}/add/")
    assert response.status_code == 400
    assert "This talk is over" in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_past_tab_shows_the_latest_day_first_and_each_day_in_order(reader_client, reader):
    day = (timezone.now() - timedelta(days=5)).date()
    morning = AppointmentFactory(owner=reader, start=utc_midnight(day) + timedelta(hours=9))
    afternoon = AppointmentFactory(owner=reader, start=utc_midnight(day) + timedelta(hours=14))
    whole = AppointmentFactory(
        owner=reader, all_day=True, start=utc_midnight(day), end=utc_midnight(day) + timedelta(days=1)
    )
    later = AppointmentFactory(owner=reader, start=utc_midnight(day) + timedelta(days=2, hours=9))
    days = reader_client.get("/schedule/past/").context["days"]
    assert [day["appointments"] for day in days] == [[later], [whole, morning, afternoon]]


def test_the_talk_page_offers_add_to_my_schedule_for_upcoming_talks(client, reader_client):
    upcoming = TalkFactory()
    past = TalkFactory(date=timezone.now() - timedelta(days=1))
    assert (
        f'action="/schedule/talks/{upcoming.pk}/add/"'
        in reader_client.get(f"/talks/{upcoming.pk}/").content.decode()
    )
    assert "/add/" not in reader_client.get(f"/talks/{past.pk}/").content.decode()
    assert "Add to my schedule" not in client.get(f"/talks/{upcoming.pk}/").content.decode()
