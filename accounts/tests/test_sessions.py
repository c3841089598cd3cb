"""Your signed-in sessions (allauth.usersessions): the list, its last-seen times, signing out the others."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.templatetags.sessions import browser
from accounts.tests.factories import PASSWORD
from conftest import Client

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _browser_logged_in(user, user_agent, address):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_list_shows_each_browser_with_its_address(reader):
    laptop = _browser_logged_in(reader, FIREFOX, "203.0.113.5")
    _browser_logged_in(reader, SAFARI_IPHONE, "198.51.100.7")
    response = laptop.get(reverse("usersessions_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Firefox on Linux" in page
    assert "Safari on iOS" in page
    assert "203.0.113.5" in page and "198.51.100.7" in page
    assert UserSession.objects.filter(user=reader).count() == 2


def test_the_list_is_only_yours(reader, author):
    _browser_logged_in(author, SAFARI_IPHONE, "198.51.100.7")
    laptop = _browser_logged_in(reader, FIREFOX, "203.0.113.5")
    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "198.51.100.7" not in page


def test_sign_out_everywhere_else(reader):
    laptop = _browser_logged_in(reader, FIREFOX, "203.0.113.5")
    phone = _browser_logged_in(reader, SAFARI_IPHONE, "198.51.100.7")
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    # The phone is logged out, the laptop is not.
    assert phone.get(reverse("accounts:edit_profile")).status_code == 302
    assert laptop.get(reverse("accounts:edit_profile")).status_code == 200
    assert list(UserSession.objects.filter(user=reader).values_list("ip", flat=True)) == ["203.0.113.5"]
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()


def test_sign_out_everywhere_else_needs_a_post(reader):
    laptop = _browser_logged_in(reader, FIREFOX, "203.0.113.5")
    _browser_logged_in(reader, SAFARI_IPHONE, "198.51.100.7")
    assert laptop.get(reverse("usersessions_list")).status_code == 200
    assert UserSession.objects.filter(user=reader).count() == 2


def test_last_seen_refreshes_the_session_with_the_users_last_seen(reader):
    laptop = _browser_logged_in(reader, FIREFOX, "203.0.113.5")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    User.objects.filter(pk=reader.pk).update(last_seen=an_hour_ago)
    UserSession.objects.filter(user=reader).update(last_seen_at=an_hour_ago)
    laptop.get(reverse("home"), REMOTE_ADDR="203.0.113.9")
    session = UserSession.objects.get(user=reader)
    assert session.last_seen_at > an_hour_ago + timedelta(minutes=59)
    assert session.ip == "203.0.113.9"


def test_a_fresh_last_seen_writes_nothing(reader):
    laptop = _browser_logged_in(reader, FIREFOX, "203.0.113.5")
    before = UserSession.objects.get(user=reader).last_seen_at
    laptop.get(reverse("home"), REMOTE_ADDR="203.0.113.9")
    assert UserSession.objects.get(user=reader).last_seen_at == before


def test_the_list_needs_a_login(client):
    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX, "Firefox on Linux"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_browser_names(user_agent, expected):
    assert browser(user_agent) == expected
