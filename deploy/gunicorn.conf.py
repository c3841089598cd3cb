"""gunicorn settings for Flasky: `gunicorn -c deploy/gunicorn.conf.py flasky_project.wsgi`.

The values that differ between deployments come from the environment (WEB_CONCURRENCY, PORT and the
GUNICORN_* names below), so one file serves the systemd unit, the container and the smoke test; the rest
(graceful timeout, keep-alive, recycling jitter) are fixed here.
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# nginx on the same machine (or the load balancer's network) is trusted for X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The application logs its own request lines (with request ids); gunicorn's go to the same stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)

# A calendar feed's address is its credential (schedule/urls.py; the application's own lines redact it
# through flasky_project.observability.secret_in_address): gunicorn cannot ask the application, so the
# address's shape is here.
SECRET_PATHS = re.compile(r"(/schedule/calendar/)[A-Za-z0-9_-]{20,64}(\.ics)")


class RedactingLogger(Logger):
    """gunicorn's logger, writing secret addresses as [redacted] in every field of the access log (the
    request line, the path, the referrer, any header or environ value a log format may print)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: SECRET_PATHS.sub(r"\1[redacted]\2", value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "flasky"
