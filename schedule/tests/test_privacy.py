"""Nobody but its owner sees or touches an appointment: every route answers 404 as if it did not exist."""

import re

import pytest

from conftest import Client
from schedule.models import Appointment, CalendarFeed
from schedule.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def secret(author):
    return AppointmentFactory(owner=author, title="Secret meeting", location="Hidden place")


@pytest.fixture(params=["reader", "moderator", "administrator"])
def intruder(request, login):
    return login(request.getfixturevalue(request.param))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/schedule/{pk}/"),
        ("get", "/schedule/{pk}/edit/"),
        ("post", "/schedule/{pk}/edit/"),
        ("get", "/schedule/{pk}/delete/"),
        ("post", "/schedule/{pk}/delete/"),
        ("delete", "/schedule/{pk}/delete/"),
    ],
)
def test_another_users_appointment_is_a_404_everywhere(intruder, secret, method, path):
    url = path.format(pk=secret.pk)
    data = {"title": "Mine now", "start": "2030-01-01T10:00", "end": "2030-01-01T11:00"}
    response = getattr(intruder, method)(url, data) if method == "post" else getattr(intruder, method)(url)
    assert response.status_code == 404
    assert "Secret meeting" not in response.content.decode()
    appointment = Appointment.objects.get()
    assert (appointment.title, appointment.owner_id) == ("Secret meeting", secret.owner_id)


def test_the_json_delete_of_another_users_appointment_is_a_json_404(intruder, secret):
    response = intruder.delete(f"/schedule/{secret.pk}/delete/", **JSON)
    assert response.status_code == 404
    assert response.json() == {
        "error": "not found",
        "message": "The page you asked for does not exist. It may have been moved or deleted.",
    }
    assert Appointment.objects.filter(pk=secret.pk).exists()


def test_an_unknown_appointment_looks_the_same_as_another_users(intruder, secret):
    theirs = intruder.get(f"/schedule/{secret.pk}/")
    nothing = intruder.get("/schedule/999999/")
    assert theirs.status_code == nothing.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    # The same page but for the address it was asked for (the language switcher comes back to it).
    theirs = token.sub(b"", theirs.content).replace(f"/schedule/{secret.pk}/".encode(), b"/schedule/999999/")
    assert theirs == token.sub(b"", nothing.content)


def test_lists_show_only_ones_own_appointments(reader_client, reader, secret):
    mine = AppointmentFactory(owner=reader, title="My meeting")
    content = reader_client.get("/schedule/").content.decode()
    assert "My meeting" in content and "Secret meeting" not in content
    assert [day["appointments"] for day in reader_client.get("/schedule/").context["days"]] == [[mine]]


def test_strangers_are_sent_to_log_in_and_see_nothing(client, secret):
    for method, path in [
        ("get", "/schedule/{pk}/"),
        ("get", "/schedule/{pk}/edit/"),
        ("post", "/schedule/{pk}/delete/"),
    ]:
        response = getattr(client, method)(path.format(pk=secret.pk))
        assert response.status_code == 302 and response["Location"].startswith("/auth/login/")
    assert Appointment.objects.exists()


def test_the_feed_of_a_wrong_token_is_a_404(client, author, secret):
    CalendarFeed.objects.create(owner=author, token=CalendarFeed.new_token())
    for token in ("A" * 43, "x" * 20, CalendarFeed.new_token()):
        assert client.get(f"/schedule/calendar/{token}.ics").status_code == 404
    assert client.get("/schedule/calendar/short.ics").status_code == 404


def test_a_feed_shows_only_its_owners_appointments(client, reader, secret):
    AppointmentFactory(owner=reader, title="Reader's meeting")
    feed = CalendarFeed.objects.create(owner=reader, token=CalendarFeed.new_token())
    content = client.get(feed.get_absolute_url()).content.decode()
    assert "Reader's meeting" in content and "Secret meeting" not in content


def test_the_feed_of_a_deactivated_user_is_a_404(client, author, secret):
    feed = CalendarFeed.objects.create(owner=author, token=CalendarFeed.new_token())
    author.is_active = False
    author.save()
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_other_users_cannot_reset_someone_elses_feed(reader, author):
    feed = CalendarFeed.objects.create(owner=author, token=CalendarFeed.new_token())
    client = Client()
    client.force_login(reader)
    client.post("/schedule/calendar/reset/")
    assert CalendarFeed.objects.get(owner=author).token == feed.token  # the reader got a feed of their own
    assert CalendarFeed.objects.get(owner=reader).token != feed.token


def test_appointments_are_not_in_the_admin(administrator_client, secret):
    # Private to their owners: not even administrators browse them (see the schedule's README section).
    assert administrator_client.get("/admin/schedule/appointment/").status_code == 404
    assert "Secret meeting" not in administrator_client.get("/admin/").content.decode()
