"""Request logs, request ids, the slow-query log, and JSON log lines for log collectors.

Every request gets an id (X-Request-ID from the proxy if it sent a sane one, else a new one), echoed in
the response and attached to every log line written while the request runs, with the user's id. One
"request" line per request records method, path, status and duration. Database queries slower than
FLASKY_SLOW_DB_QUERY_TIME are logged as warnings with where they came from (Flasky's slow-query log), in
requests, commands and the task worker alike.
A view whose address is a credential (@secret_in_address) has it written as [redacted] in every line.
"""

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.log import AdminEmailHandler

request_id_var = contextvars.ContextVar("request_id", default="-")
user_id_var = contextvars.ContextVar("user_id", default="-")
secrets_var = contextvars.ContextVar("secrets", default=())

REDACTED = "[redacted]"

access_logger = logging.getLogger("flasky.request")
slow_query_logger = logging.getLogger("flasky.slow_query")

_SANE_ID = re.compile(r"\A[A-Za-z0-9._-]{8,64}\Z")
_PROJECT = str(Path(settings.BASE_DIR))
_SKIP = ("/.venv/", "/site-packages/", "observability.py")
# The execute wrappers that watch every connection's writes (flasky_project.pagecache, blog.marks,
# accounts.backends):
# they run around every query, so they are never where one came from.
_WRAPPERS = frozenset({"watch_writes", "watch_marks", "watch_session_users"})


def secret_in_address(*names):
    """Mark a view whose address holds a credential in the URL arguments ``names`` (a calendar feed's
    token): while it runs, every log line written (the request line, errors, slow queries with their
    parameters) has it as [redacted], so logs never hand out the credential."""

    def decorate(view):
        view.secret_url_kwargs = names
        return view

    return decorate


def redact(text):
    """``text`` with the current request's secrets (see secret_in_address) replaced by [redacted]."""
    for secret in secrets_var.get():
        text = text.replace(secret, REDACTED)
    return text


class ContextFilter(logging.Filter):
    """Adds request_id and user_id to every record (for formats that print them), and redacts the request's
    secrets from its message and text fields."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        if secrets_var.get():
            record.msg, record.args = redact(record.getMessage()), None
            for key, value in vars(record).items():
                if isinstance(value, str):
                    setattr(record, key, redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request and user, and any extra fields."""

    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "user_id": getattr(record, "user_id", user_id_var.get()),
        }
        entry.update(
            {
                key: value
                for key, value in vars(record).items()
                if key not in self.STANDARD and key not in entry
            }
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str))  # objects (the request) are written as text here


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            _set_user_id(request)  # a login or logout during the request changed it
            response["X-Request-ID"] = request_id
            path = redact(request.path)
            access_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
            user_id_var.set("-")
            secrets_var.set(())

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The other middleware have run by now (authentication among them): lines the view logs name the user.
        _set_user_id(request)
        names = getattr(view_func, "secret_url_kwargs", ())
        secrets_var.set(tuple(str(view_kwargs[name]) for name in names if view_kwargs.get(name)))


def _set_user_id(request):
    user = getattr(request, "user", None)
    user_id_var.set(user.pk if user is not None and user.is_authenticated else "-")


def install_query_timer(sender=None, connection=None, **kwargs):
    """connection_created receiver: every connection times its queries for the slow-query log, once and for
    good. (Installed for each request with the execute_wrapper context manager, it was taken off the end of
    the list when the request ended: a watcher of writes that the request's first query installed after it,
    opening the connection, went instead, and writes on that connection made no new page generation.)"""
    if _time_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_time_query)


def _time_query(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        duration = time.perf_counter() - started
        if duration >= settings.FLASKY_SLOW_DB_QUERY_TIME:
            slow_query_logger.warning(
                "Slow query: %s\nParameters: %s\nDuration: %fs\nContext: %s\n",
                sql,
                params,
                duration,
                _caller(),
                extra={"duration_s": round(duration, 3)},
            )


def _caller():
    """The innermost frame of the project's own code that led to the query."""
    for frame in reversed(traceback.extract_stack()):
        if (
            frame.filename.startswith(_PROJECT)
            and not any(part in frame.filename for part in _SKIP)
            and frame.name not in _WRAPPERS
        ):
            return f"{frame.filename[len(_PROJECT) + 1 :]}:{frame.lineno} in {frame.name}"
    return "-"


def _redact_all(value):
    """``value`` with every string in it (through dicts, lists and tuples) redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_all(item) for item in value)
    return value


def redact_sentry_event(event, hint):
    """Sentry's ``before_send``: an error report sent while a view with a secret address runs carries the
    address (the request's URL, breadcrumbs, messages) with the secret as [redacted], as the logs do."""
    return _redact_all(event) if secrets_var.get() else event


class RedactingAdminEmailHandler(AdminEmailHandler):
    """Django's error emails to the administrators, with the request's secrets as [redacted] in the
    subject and the body (they quote the request's address)."""

    def send_mail(self, subject, message, *args, **kwargs):
        if "html_message" in kwargs and kwargs["html_message"]:
            kwargs["html_message"] = redact(kwargs["html_message"])
        super().send_mail(redact(subject), redact(message), *args, **kwargs)
