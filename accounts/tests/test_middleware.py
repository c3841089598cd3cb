"""Per-request behaviour: last seen without a write per request, language and time-zone preferences."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db


def _age_last_seen(user, seconds):
    User.objects.filter(pk=user.pk).update(last_seen=timezone.now() - timedelta(seconds=seconds))


def test_last_seen_is_refreshed_after_a_minute(reader_client, reader):
    _age_last_seen(reader, 120)
    reader_client.get("/")
    reader.refresh_from_db()
    assert timezone.now() - reader.last_seen < timedelta(seconds=5)


def test_last_seen_is_not_written_on_every_request(reader_client, reader):
    _age_last_seen(reader, 10)
    before = User.objects.get(pk=reader.pk).last_seen
    with CaptureQueriesContext(connection) as captured:
        reader_client.get("/")
        reader_client.get("/user/reader/")
    assert captured.captured_queries
    assert not any(query["sql"].startswith("UPDATE") for query in captured.captured_queries)
    assert User.objects.get(pk=reader.pk).last_seen == before


def test_anonymous_requests_write_nothing(client, reader):
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
        client.get("/user/reader/")
    assert all(query["sql"].startswith("SELECT") for query in captured.captured_queries)


def test_language_preference_wins_over_the_browser(login, reader):
    reader.language = "es"
    reader.save()
    response = login(reader).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"


def test_browser_language_is_used_without_a_preference(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").headers["Content-Language"] == "es"


def test_time_zone_preference_is_activated(login, reader):
    reader.timezone = "America/Mexico_City"
    reader.save()
    response = login(reader).get("/user/reader/")
    assert response.context["TIME_ZONE"] == "America/Mexico_City"


def test_browser_time_zone_cookie_is_used_for_strangers(client, reader):
    client.cookies["tz"] = "Asia/Tokyo"
    assert client.get("/user/reader/").context["TIME_ZONE"] == "Asia/Tokyo"


def test_browser_time_zone_cookie_is_read_as_the_script_writes_it(client, reader):
    client.cookies["tz"] = "America%2FArgentina%2FBuenos_Aires"  # encodeURIComponent, in static/js/site.js
    assert client.get("/user/reader/").context["TIME_ZONE"] == "America/Argentina/Buenos_Aires"


def test_a_bogus_time_zone_cookie_is_ignored(client, reader):
    client.cookies["tz"] = "Nowhere/Special"
    assert client.get("/user/reader/").context["TIME_ZONE"] == "UTC"


def test_language_switch_sets_a_cookie_and_the_preference(reader_client, reader):
    response = reader_client.post("/i18n/setlang/", {"language": "es", "next": "/user/reader/"})
    assert response.status_code == 302 and response["Location"] == "/user/reader/"
    assert response.cookies["django_language"].value == "es"
    reader.refresh_from_db()
    assert reader.language == "es"


def test_language_cookie_is_secure_when_session_cookies_are(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # what SESSION_COOKIE_SECURE (on in production) sets
    cookie = client.post("/i18n/setlang/", {"language": "es"}).cookies["django_language"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize(("session_secure", "expected"), [(None, "True"), ("0", "False")])
def test_language_cookie_is_secure_in_production_as_session_cookies_are(session_secure, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"SESSION_COOKIE_SECURE", "DEBUG"}}
    env.update(DEBUG="0", SECRET_KEY="k" * 60, ALLOWED_HOSTS="example.com")
    if session_secure is not None:
        env["SESSION_COOKIE_SECURE"] = session_secure
    code = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE)"
    result = subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_language_switch_ignores_a_foreign_next_and_an_unknown_language(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_language_switch_refuses_get(client):
    assert client.get("/i18n/setlang/?language=es").status_code == 405


def test_times_render_in_the_readers_time_zone_and_language(login, reader):
    # 23:30 UTC on New Year's Eve is already New Year's Day in Tokyo.
    profile_owner = User.objects.create_user("owl@example.com", "owl", "x-password-123")
    User.objects.filter(pk=profile_owner.pk).update(
        member_since=datetime(2025, 12, 31, 23, 30, tzinfo=UTC), last_seen=timezone.now() - timedelta(hours=2)
    )
    reader.timezone, reader.language = "Asia/Tokyo", "es"
    reader.save()
    content = login(reader).get("/user/owl/").content.decode()
    assert "Miembro desde el 01/01/2026." in content
    assert "Última visita: <time" in content and "hace 2 horas</time>" in content


def test_times_have_a_server_rendered_fallback_and_an_iso_timestamp(client, reader):
    content = client.get("/user/reader/").content.decode()
    assert '<time datetime="' in content and "data-reltime" in content and 'title="' in content
