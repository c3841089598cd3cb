"""Running in production: health, logs, the slow-query log, failing soft, retrying mail, stale tasks."""

import json
import logging
import re
import smtplib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import PASSWORD, UserFactory
from flasky_project.cache import ResilientRedisCache
from flasky_project.errors import server_error
from flasky_project.management.commands.profile import ProfilerMiddleware
from flasky_project.observability import _WRAPPERS, ContextFilter, JsonFormatter
from flasky_project.smtp_sink import SMTPSink
from flasky_project.tasks import send_email

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp(settings):
    sink = SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 2
    yield sink
    sink.stop()


# --- the health check -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert set(response.json()["checks"]) == {"database", "cache", "tasks"}


@pytest.mark.django_db
def test_health_reports_a_stalled_task_queue_as_degraded(client, settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = DATABASE_TASKS
    send_email.enqueue(subject="s", body="b", to=["a@example.com"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and not response.json()["checks"]["tasks"]["ok"]


@pytest.mark.django_db
def test_health_reports_a_dead_cache_as_degraded(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "flasky_project.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and not body["checks"]["cache"]["ok"]


# --- database outages ---------------------------------------------------------------------------------------


def test_a_database_outage_is_a_503_page_without_queries(rf):
    request = rf.get("/")
    try:
        raise OperationalError("could not connect to server")
    except DatabaseError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Service Unavailable" in response.content.decode()


def test_a_database_outage_is_json_for_the_api(rf):
    try:
        raise OperationalError("gone")
    except DatabaseError:
        response = server_error(rf.get("/api/v1/posts/"))
    assert json.loads(response.content) == {
        "error": "service unavailable",
        "message": "Flasky cannot reach its database right now. Please try again in a minute.",
    }


@pytest.mark.django_db(transaction=True)
def test_a_request_during_a_database_outage_gets_the_503_page(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "The test database on SQLite lives in memory: closing it would lose it. PostgreSQL runs this."
        )
    # Point the connection at a port where no database listens, as if the server went away.
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = 1
    try:
        client = Client(raise_request_exception=False)
        client.cookies["sessionid"] = "a-session-that-needs-the-database"
        response = client.get("/")
    finally:
        connection.close()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert "Service Unavailable" in response.content.decode()


# --- Redis outages ------------------------------------------------------------------------------------------


def test_the_cache_fails_soft_when_redis_is_down(caplog):
    ResilientRedisCache._last_logged = 0.0  # the warning is given at most every ten seconds
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    with caplog.at_level(logging.WARNING):
        cache.set("key", "value")
        assert cache.get("key", "default") == "default"
        assert cache.add("key", "value") is True
        assert cache.incr("counter") == 1
        assert cache.get_many(["a", "b"]) == {}
        cache.delete("key")
    assert "Redis is unavailable" in caplog.text


@pytest.mark.django_db
def test_people_log_in_and_read_while_redis_is_down(settings, client):
    settings.CACHES = {
        "default": {
            "BACKEND": "flasky_project.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    user = UserFactory()
    response = client.post("/auth/login/", {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.context["user"] == user
    assert client.get(f"/user/{user.username}/").status_code == 200


# --- mail server outages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_email_that_fails_is_retried_later(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with pytest.raises((smtplib.SMTPException, OSError)):
        send_email.call(subject="Hello", body="Body", to=["a@example.com"])
    (retry,) = DBTaskResult.objects.all()
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=settings.FLASKY_EMAIL_RETRY_DELAYS[0] - 5)


@pytest.mark.django_db
def test_an_email_is_given_up_after_the_last_attempt(settings, caplog):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with pytest.raises((smtplib.SMTPException, OSError)), caplog.at_level(logging.ERROR):
        send_email.call(
            subject="Hello",
            body="Body",
            to=["a@example.com"],
            attempt=len(settings.FLASKY_EMAIL_RETRY_DELAYS) + 1,
        )
    assert not DBTaskResult.objects.exists()
    assert "Giving up on an email" in caplog.text


@pytest.mark.django_db
def test_the_retry_delays_come_from_the_settings(settings):
    settings.TASKS = DATABASE_TASKS
    settings.FLASKY_EMAIL_RETRY_DELAYS = [3600]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with pytest.raises((smtplib.SMTPException, OSError)):
        send_email.call(subject="Hello", body="Body", to=["a@example.com"])
    assert DBTaskResult.objects.get().run_after > timezone.now() + timedelta(minutes=59)


@pytest.mark.django_db
def test_an_address_the_mail_server_refuses_for_good_is_not_retried(settings, smtp, caplog):
    settings.TASKS = DATABASE_TASKS
    smtp.refused.add("nobody@example.com")
    with pytest.raises(smtplib.SMTPRecipientsRefused), caplog.at_level(logging.ERROR):
        send_email.call(subject="Hello", body="Body", to=["nobody@example.com"])
    assert not DBTaskResult.objects.exists()
    assert "refused an email to ['nobody@example.com'] for good" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_delivered_by_the_worker_once_the_mail_server_is_back(settings, smtp):
    settings.TASKS = DATABASE_TASKS
    port = smtp.port
    smtp.stop()  # the mail server is down when the first attempt runs
    send_email.enqueue(subject="Hello", body="Body", to=["a@example.com"])
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert DBTaskResult.objects.failed().count() == 1
    retry = DBTaskResult.objects.ready().get() if DBTaskResult.objects.ready().exists() else None
    assert retry is None  # not yet due
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    back = SMTPSink(port=port).start()  # the mail server is back
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        assert [message["Subject"] for message in back.messages] == ["Hello"]
    finally:
        back.stop()


# --- workers that die ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tasks_left_running_by_a_dead_worker_are_requeued(settings):
    settings.TASKS = DATABASE_TASKS
    result = send_email.enqueue(subject="s", body="b", to=["a@example.com"])
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )
    fresh = send_email.enqueue(subject="s2", body="b", to=["a@example.com"])
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    call_command("requeue_stale_tasks", "--after", "600", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


# --- logs ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    assert len(client.get("/").headers["X-Request-ID"]) == 32
    assert (
        client.get("/", HTTP_X_REQUEST_ID="from-the-proxy-123").headers["X-Request-ID"]
        == "from-the-proxy-123"
    )
    assert client.get("/", HTTP_X_REQUEST_ID="bad id!\n").headers["X-Request-ID"] != "bad id!\n"


@pytest.mark.django_db
def test_each_request_is_logged_with_its_user_status_and_duration(reader_client, reader, caplog):
    with caplog.at_level(logging.INFO, logger="flasky.request"):
        reader_client.get("/user/reader/")
    (record,) = [r for r in caplog.records if r.name == "flasky.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/user/reader/" and line["status"] == 200 and line["user_id"] == reader.pk
    assert line["duration_ms"] >= 0 and len(line["request_id"]) == 32


@pytest.mark.django_db
def test_slow_queries_are_logged_with_where_they_came_from(client, settings, caplog):
    settings.FLASKY_SLOW_DB_QUERY_TIME = 0
    with caplog.at_level(logging.WARNING, logger="flasky.slow_query"):
        client.get("/")
    assert "Slow query: SELECT" in caplog.text and "Duration:" in caplog.text
    contexts = re.findall(r"Context: (\S+) in (\w+)", caplog.text)
    assert contexts and all(re.fullmatch(r"[a-z_]+/[a-z_/]+\.py:\d+", where) for where, _name in contexts)
    # the execute wrappers every query passes through are never where it came from
    assert not any(name in {*_WRAPPERS, "_time_query"} for _where, name in contexts), contexts
    keys = [where for where, name in contexts if name == "_keys"]  # the page's keys, read by the pagination
    assert keys and keys[0].startswith("flasky_project/pagination.py:"), contexts


@pytest.mark.django_db
def test_lines_logged_while_a_view_runs_name_the_user(reader_client, reader, settings):
    settings.FLASKY_SLOW_DB_QUERY_TIME = 0
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record.user_id)

    handler = Collect()
    handler.addFilter(ContextFilter())
    slow_queries = logging.getLogger("flasky.slow_query")
    slow_queries.addHandler(handler)
    try:
        reader_client.get("/")
    finally:
        slow_queries.removeHandler(handler)
    assert seen and seen[-1] == reader.pk  # the page's own queries, after authentication


# --- security headers and proxies -------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_have_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    )


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(settings, rf):
    from flasky_project.proxy import TrustedProxyMiddleware

    settings.TRUSTED_PROXY_COUNT = 1
    seen = {}
    middleware = TrustedProxyMiddleware(lambda request: seen.setdefault("ip", request.META["REMOTE_ADDR"]))
    middleware(rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="127.0.0.1"))
    assert seen["ip"] == "203.0.113.7"  # the client's claim (6.6.6.6) is ignored


# --- the profiler -----------------------------------------------------------------------------------------


def test_the_profiler_prints_and_saves_each_request(tmp_path):
    import io

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"hello"]

    output = io.StringIO()
    middleware = ProfilerMiddleware(app, stream=output, length=5, profile_dir=tmp_path)
    body = middleware({"REQUEST_METHOD": "GET", "PATH_INFO": "/user/x/"}, lambda *args: None)
    assert body == [b"hello"]
    assert "PATH: GET /user/x/" in output.getvalue()
    assert len(list(tmp_path.glob("GET.user.x.*.prof"))) == 1


def test_the_profile_and_search_addresses_are_theirs_alone():
    """They are resolved before the apps' patterns (flasky_project/urls.py): no app's pattern may take
    either address, or moving them first would have changed which view answers."""
    from django.urls import get_resolver  # noqa: PLC0415
    from django.urls.exceptions import Resolver404  # noqa: PLC0415

    resolver = get_resolver()
    others = [
        pattern
        for pattern in resolver.url_patterns
        if getattr(pattern, "name", None) not in ("profile", "search")
    ]
    for path in ("user/somebody/", "search/"):
        for pattern in others:
            try:
                matched = pattern.resolve(path)
            except Resolver404:
                matched = None
            assert matched is None, (path, pattern)
