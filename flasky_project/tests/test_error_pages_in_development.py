"""With DEBUG on (what `dev.py serve` runs), error pages are the site's own, as in production: the site's
layout for browsers, and Flasky's JSON under /api/. The traceback of a 500 goes to the console log."""

import logging

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers, error_of

pytestmark = [pytest.mark.django_db, pytest.mark.urls("flasky_project.tests.urls_errors")]


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def assert_site_page(response, status, title):
    content = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in content and "navbar" in content
    assert "Traceback" not in content and "URLconf" not in content


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/no/such/page/", 404, "Not Found"),
        ("/test-errors/404/", 404, "Not Found"),
        ("/test-errors/403/", 403, "Forbidden"),
        ("/test-errors/400/", 400, "Bad Request"),
        ("/test-errors/400-suspicious/", 400, "Bad Request"),
        ("/test-errors/500/", 500, "Internal Server Error"),
    ],
)
def test_the_site_s_error_pages_are_in_its_layout(browser, path, status, title):
    assert_site_page(browser.get(path), status, title)


def test_a_500_s_traceback_goes_to_the_console_log(browser, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        browser.get("/test-errors/500/")
    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


def test_a_missing_slash_is_still_added(browser):
    response = browser.get("/talks")
    assert (response.status_code, response["Location"]) == (301, "/talks/")


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/wrong/url", "/api/nothing/", "/api/v1/posts/x"])
def test_unknown_api_urls_are_json_404s(browser, reader, path):
    response = browser.get(path, headers=api_headers(reader.email, PASSWORD))
    assert error_of(response)[:2] == (404, "not found")


def test_unknown_api_urls_are_json_404s_also_for_a_post(browser, reader):
    response = browser.post("/api/v1/nothing", headers=api_headers(reader.email, PASSWORD))
    assert error_of(response)[:2] == (404, "not found")


def test_a_wrong_api_method_is_a_json_405(browser, reader):
    response = browser.patch("/api/v1/tokens/", headers=api_headers(reader.email, PASSWORD))
    assert error_of(response)[:2] == (405, "method not allowed")


def test_an_api_bug_is_a_json_500(browser, reader, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("api.shared_pages.post_list_response", explode)
    response = browser.get("/api/v1/posts/", headers=api_headers(reader.email, PASSWORD))
    assert error_of(response) == (
        500,
        "internal server error",
        "Something went wrong on our side. We have been told and will look into it.",
    )
