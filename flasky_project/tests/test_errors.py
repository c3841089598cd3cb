"""Error pages: the site's layout for browsers, JSON for clients that want JSON."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from flasky_project.errors import server_error, too_many_requests

pytestmark = pytest.mark.django_db


def test_404_is_a_page_in_the_layout(client):
    response = client.get("/wrong/url/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Not Found</h1>" in content and "navbar" in content
    assert "<title>Flasky - Not Found</title>" in content


def test_404_is_json_for_a_client_that_wants_json(client):
    response = client.get("/wrong/url/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json()["error"] == "not found"


def test_404_is_html_when_the_client_takes_both(client):
    response = client.get("/wrong/url/", HTTP_ACCEPT="text/html,application/json;q=0.9")
    assert response["Content-Type"].startswith("text/html")


def test_403_is_a_page_in_the_layout(reader_client, author):
    response = reader_client.get(f"/edit-profile/{author.pk}/")
    assert response.status_code == 403
    assert "<h1>Forbidden</h1>" in response.content.decode()


def test_403_is_json_for_a_client_that_wants_json(reader_client, author):
    response = reader_client.get(f"/edit-profile/{author.pk}/", HTTP_ACCEPT="application/json")
    assert response.json() == {"error": "forbidden", "message": "You do not have permission to do that."}


def test_405_is_a_page_that_keeps_the_allow_header(client):
    response = client.get("/i18n/setlang/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "<h1>Method Not Allowed</h1>" in response.content.decode()


def test_csrf_failure_is_a_clear_page():
    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "es"})
    assert response.status_code == 403
    assert "Your form expired or was sent from another site" in response.content.decode()


def test_500_is_a_page_in_the_layout(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500
    assert "<h1>Internal Server Error</h1>" in response.content.decode()


def test_500_is_json_for_a_client_that_wants_json(rf):
    request = rf.get("/", HTTP_ACCEPT="application/json")
    request.user = AnonymousUser()
    assert server_error(request).status_code == 500


def test_500_falls_back_to_a_plain_page_when_the_layout_fails(rf):
    request = rf.get("/")  # no user: the layout cannot render
    response = server_error(request)
    assert response.status_code == 500
    assert "Internal Server Error" in response.content.decode()


def test_favicon_is_served(client):
    assert client.get("/static/favicon.ico").status_code == 200
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.ico"


def test_429_is_a_page_in_the_layout(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = too_many_requests(request)
    assert response.status_code == 429
    assert "<h1>Too Many Requests</h1>" in response.content.decode()


def test_429_is_json_for_a_client_that_wants_json(rf):
    request = rf.get("/", HTTP_ACCEPT="application/json")
    request.user = AnonymousUser()
    assert json.loads(too_many_requests(request).content)["error"] == "too many requests"
