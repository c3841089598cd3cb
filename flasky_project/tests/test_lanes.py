"""The two lanes through the middleware (flasky_project.lanes): an API request that brings its own
credentials passes by the layers of the site's pages and session; every other request takes them all."""

import datetime
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.checks import run_checks
from django.test import RequestFactory
from django.utils import timezone

from accounts import middleware as accounts_middleware
from accounts.tests.factories import UserFactory
from api.tests.helpers import basic
from api.tokens import make_token
from flasky_project import inputs, lanes, readahead
from moderation import middleware as moderation_middleware
from moderation.services import suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_loads(monkeypatch):
    """How many times a session was read from its store (a list that grows by one for each)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    loads, load = [], store.load

    def counting(self):
        loads.append(1)
        return load(self)

    monkeypatch.setattr(store, "load", counting)
    return loads


@pytest.mark.parametrize(
    ("path", "header", "expected"),
    [
        ("/api/v1/posts/", "Bearer abc", True),
        ("/api/v1/posts/", "bearer abc", True),
        ("/api/v1/posts/", "BASIC dG9rZW46", True),
        ("/api/v1/users/1/posts/", "Basic dG9rZW46", True),
        ("/api/v1/posts/", "Token abc", False),  # (a scheme the API does not read: the session may answer)
        ("/api/v1/posts/", "Bearer", False),
        ("/api/v1/posts/", "", False),
        ("/api/docs/", "Bearer abc", False),  # (the browsable docs are a page)
        ("/api/schema/", "Bearer abc", False),
        ("/", "Bearer abc", False),
        ("/user/someone", "Basic dG9rZW46", False),
    ],
)
def test_which_requests_bring_their_own_credentials(path, header, expected):
    request = RequestFactory().get(path, HTTP_AUTHORIZATION=header) if header else RequestFactory().get(path)
    assert lanes.brings_credentials(request) is expected


def test_a_token_caller_is_answered_without_the_session_of_the_browser(client, session_loads):
    """A token sent from a browser where somebody else is logged in: the answer is the token's caller's,
    and the session (and its user, their language, their last seen) is not even read."""
    caller, other = UserFactory(), UserFactory(language="es")
    long_ago = timezone.now() - datetime.timedelta(days=3)
    type(other).objects.filter(pk=other.pk).update(last_seen=long_ago)
    client.force_login(other)
    session_loads.clear()
    response = client.get("/api/v1/notifications/", headers={"Authorization": f"Bearer {make_token(caller)}"})
    assert response.status_code == 200 and session_loads == []
    assert "Cookie" not in response.get("Vary", "") and "sessionid" not in response.cookies
    assert response["Content-Language"] != "es"
    other.refresh_from_db()
    assert other.last_seen == long_ago  # (their session's last seen is not the token's request)
    # The API's own checks still apply: a suspended caller's token is refused.
    suspend(caller, by=UserFactory(), days=1)
    response = client.get("/api/v1/posts/", headers={"Authorization": basic(make_token(caller))})
    assert response.status_code == 403 and session_loads == []


@pytest.mark.parametrize(
    "header",
    [
        "Bearer forged.token.value",
        "Bearer ",
        "Basic !!!not-base64",
        "Bearer t\u00f6k\u00e9n",
        "Basic " + "9" * 20,
    ],
)
def test_wrong_credentials_are_a_401_though_a_session_came_with_them(client, session_loads, header):
    """docs/api.md: the session is not read for a request with a Basic or Bearer header, and does not
    rescue a wrong one (non-ASCII and undecodable ones included: a 401, never a 500)."""
    client.force_login(UserFactory())
    session_loads.clear()
    response = client.get("/api/v1/posts/", headers={"Authorization": header})
    assert response.status_code == 401 and session_loads == []
    assert response.json()["error"] == "unauthorized"


def test_without_credentials_the_session_answers_the_api(client, session_loads):
    """The site's own scripts call the API with the browser's session: every layer runs."""
    member = UserFactory()
    client.force_login(member)
    session_loads.clear()
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 200 and session_loads == [1]


def test_a_page_with_an_authorization_header_takes_every_layer(client, session_loads):
    member = UserFactory(username="reader_of_pages")
    client.force_login(member)
    session_loads.clear()
    response = client.get("/", headers={"Authorization": f"Bearer {make_token(member)}"})
    assert response.status_code == 200 and session_loads == [1]
    assert "reader_of_pages" in response.content.decode()  # (the session's member, in the navbar)


def test_each_lane_layer_is_its_layer_with_its_hooks():
    pairs = [
        (lanes.SessionMiddleware, SessionMiddleware),
        (lanes.SiteMethodsMiddleware, inputs.SiteMethodsMiddleware),
        (lanes.AuthenticationMiddleware, AuthenticationMiddleware),
        (lanes.UserPreferencesMiddleware, accounts_middleware.UserPreferencesMiddleware),
        (lanes.ReadAheadMiddleware, readahead.ReadAheadMiddleware),
        (lanes.MessageMiddleware, MessageMiddleware),
        (lanes.LoginMessageMiddleware, accounts_middleware.LoginMessageMiddleware),
        (lanes.LastSeenMiddleware, accounts_middleware.LastSeenMiddleware),
        (lanes.UnconfirmedGateMiddleware, accounts_middleware.UnconfirmedGateMiddleware),
        (lanes.SanctionMiddleware, moderation_middleware.SanctionMiddleware),
        (lanes.StaffTwoFactorMiddleware, accounts_middleware.StaffTwoFactorMiddleware),
    ]
    for lane, layer in pairs:
        assert issubclass(lane, layer) and lane.__name__ == layer.__name__
        assert f"flasky_project.lanes.{lane.__name__}" in settings.MIDDLEWARE
        for hook in ("process_view", "process_exception", "process_template_response"):
            assert (hook in vars(lane)) == hasattr(layer, hook), (lane, hook)  # (each one passed by)
    # The checks that look for the session, authentication and messages layers (the admin's) find them.
    assert not [message for message in run_checks() if message.id.startswith("admin.E4")]


def test_a_token_request_runs_in_utc_whatever_the_threads_last_page_activated():
    seen = []
    lane = lanes.UserPreferencesMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))
    timezone.activate(ZoneInfo("Asia/Tokyo"))  # (what a page for a member in Tokyo left on the thread)
    try:
        lane(RequestFactory().get("/api/v1/posts/", HTTP_AUTHORIZATION="Bearer abc"))
    finally:
        timezone.deactivate()
    assert seen == ["UTC"]


def test_a_skipped_hook_answers_nothing_for_an_api_caller_and_runs_for_a_page():
    """(process_template_response passes the response on: None would be Django's ValueError.)"""
    seen = []

    class Layer:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            seen.append("call")
            return self.get_response(request)

        def process_view(self, request, view, args, kwargs):
            seen.append("view")
            return "answered"

        def process_template_response(self, request, response):
            seen.append("template")
            return "changed"

    lane = lanes.pages_only(Layer)(lambda request: "passed")
    api = RequestFactory().get("/api/v1/posts/", HTTP_AUTHORIZATION="Bearer abc")
    assert lane(api) == "passed" and lane.process_view(api, None, (), {}) is None
    assert lane.process_template_response(api, "response") == "response" and seen == []
    page = RequestFactory().get("/")
    assert lane(page) == "passed" and lane.process_view(page, None, (), {}) == "answered"
    assert lane.process_template_response(page, "response") == "changed"
    assert seen == ["call", "view", "template"]
