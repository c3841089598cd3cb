"""Helpers for API tests: Flasky's request headers, and reading JSON answers."""

import base64
import json


def basic(username, password=""):
    """The Authorization header value of HTTP Basic auth (Flasky: ``email:password`` or ``token:``)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def api_headers(username="", password=""):
    """Flasky's ``get_api_headers``: Basic auth, and JSON both ways."""
    return {"Authorization": basic(username, password), "Accept": "application/json"}


def send(client, method, path, data=None, *, headers=None, content_type="application/json", raw=None):
    """A request with a JSON body (``data``), or exactly the bytes (or UTF-8 text) ``raw``."""
    body = raw if raw is not None else (json.dumps(data) if data is not None else "")
    return client.generic(method, path, body, content_type=content_type, headers=headers or {})


def error_of(response):
    """(status, error name, message) of an error answer, after checking it is Flasky's JSON."""
    assert response["Content-Type"] == "application/json", response.content[:200]
    data = response.json()
    assert set(data) == {"error", "message"}, data
    return response.status_code, data["error"], data["message"]
