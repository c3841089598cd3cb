"""The calendar feed's secret token never reaches a log: the request line, error lines, the slow-query log,
gunicorn's access log."""

import io
import logging
import runpy
import types
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from gunicorn.config import Config

from schedule.models import CalendarFeed

pytestmark = pytest.mark.django_db


def _console_handler():
    [handler] = [h for h in logging.getLogger("flasky.request").handlers if type(h) is logging.StreamHandler]
    return handler


@pytest.fixture
def console():
    """What the console handler (every log line of the site, as configured in LOGGING) writes."""
    handler = _console_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture
def feed(reader):
    return CalendarFeed.objects.create(owner=reader, token=CalendarFeed.new_token())


def test_the_request_line_of_a_feed_writes_the_token_redacted(client, feed, console, caplog):
    caplog.set_level(logging.INFO, logger="flasky.request")
    assert client.get(f"/schedule/calendar/{feed.token}.ics").status_code == 200
    [record] = [r for r in caplog.records if r.name == "flasky.request"]
    assert record.getMessage() == "GET /schedule/calendar/[redacted].ics 200"
    assert record.path == "/schedule/calendar/[redacted].ics"
    assert feed.token not in console.getvalue() and "/schedule/calendar/[redacted].ics" in console.getvalue()


def test_a_wrong_token_is_not_logged_either(client, feed, console):
    wrong = CalendarFeed.new_token()
    assert client.get(f"/schedule/calendar/{wrong}.ics").status_code == 404
    assert wrong not in console.getvalue() and "[redacted]" in console.getvalue()


@pytest.mark.parametrize("log_format", ["json", "plain"])
def test_the_slow_query_log_of_a_feed_redacts_the_token(client, feed, console, settings, log_format):
    settings.FLASKY_SLOW_DB_QUERY_TIME = 0  # every query is "slow": its parameters (the token) are logged
    handler = _console_handler()
    formatter = handler.formatter
    if log_format == "plain":
        handler.setFormatter(logging.Formatter(django_settings.LOGGING["formatters"]["plain"]["format"]))
    try:
        assert client.get(f"/schedule/calendar/{feed.token}.ics").status_code == 200
    finally:
        handler.setFormatter(formatter)
    assert "Slow query" in console.getvalue()
    assert feed.token not in console.getvalue()


def test_an_error_in_the_feed_is_logged_without_the_token(client, feed, console, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken calendar")

    monkeypatch.setattr("schedule.views.schedule_calendar", broken)
    client.raise_request_exception = False
    assert client.get(f"/schedule/calendar/{feed.token}.ics").status_code == 500
    assert "broken calendar" in console.getvalue()
    assert feed.token not in console.getvalue()


def test_the_error_email_to_the_administrators_redacts_the_token(client, feed, monkeypatch, mailoutbox):
    def broken(*args, **kwargs):
        raise RuntimeError("broken calendar")

    monkeypatch.setattr("schedule.views.schedule_calendar", broken)
    client.raise_request_exception = False
    assert client.get(f"/schedule/calendar/{feed.token}.ics").status_code == 500
    [email] = mailoutbox
    html = email.alternatives[0][0] if email.alternatives else ""
    assert "broken calendar" in email.body
    assert feed.token not in email.subject + email.body + html
    assert "[redacted]" in email.subject + email.body


def test_a_sentry_report_from_a_feed_redacts_the_token(feed):
    from flasky_project import observability

    event = {"request": {"url": f"https://x/schedule/calendar/{feed.token}.ics"}, "extra": [feed.token, 1]}
    token = observability.secrets_var.set((feed.token,))
    try:
        scrubbed = observability.redact_sentry_event(event, {})
    finally:
        observability.secrets_var.reset(token)
    assert feed.token not in str(scrubbed) and scrubbed["extra"][1] == 1
    assert observability.redact_sentry_event(event, {}) is event  # outside such a view: as it was


def test_gunicorns_access_log_redacts_the_token(feed):
    config = runpy.run_path(str(Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"))
    logger = config["logger_class"](Config())
    uri = f"/schedule/calendar/{feed.token}.ics"
    request = types.SimpleNamespace(
        method="GET",
        path=uri,
        query="",
        uri=uri,
        version=(1, 1),
        headers=[("REFERER", "https://x.test" + uri)],
    )
    response = types.SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": uri,
        "PATH_INFO": uri,
        "HTTP_REFERER": "https://x.test" + uri,
    }
    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.1))
    line = logger.cfg.access_log_format % atoms
    assert "/schedule/calendar/[redacted].ics" in line
    assert feed.token not in repr(atoms)
