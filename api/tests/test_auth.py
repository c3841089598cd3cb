"""Authentication: Basic with email+password or a token, Bearer tokens, sessions with CSRF; tokens expire,
die with a password change and cannot buy tokens; 401 and 403 answers are Flasky's."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, basic, error_of, send
from api.tokens import make_token

pytestmark = pytest.mark.django_db


def token_for(client, user):
    response = client.post("/api/v1/tokens/", headers=api_headers(user.email, PASSWORD))
    assert response.status_code == 200
    return response.json()["token"]


def test_a_401_is_flaskys_json_with_a_basic_challenge(client):
    response = client.get("/api/v1/posts/")
    assert error_of(response) == (401, "unauthorized", "Invalid credentials")
    assert response["WWW-Authenticate"] == 'Basic realm="Authentication Required"'


def test_email_is_case_insensitive(client, reader):
    response = client.get("/api/v1/posts/", headers=api_headers(reader.email.upper(), PASSWORD))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic !!!not-base64!!!",
        "Basic " + "//79",  # base64 of bytes that are not UTF-8
        basic("", PASSWORD),
        basic("nobody@example.com", PASSWORD),
        basic("reader@example.com", "wrong"),
        basic("reader\x00@example.com", PASSWORD),
        basic("not.a.token", ""),
        "Bearer ",
        "Bearer not.a.token",
        "Bearer caf\xe9",
    ],
)
def test_bad_credentials_are_a_401(client, reader, authorization):
    response = client.get("/api/v1/posts/", headers={"Authorization": authorization})
    assert error_of(response) == (401, "unauthorized", "Invalid credentials")


def test_an_inactive_account_cannot_authenticate(client, reader):
    token = make_token(reader)
    User.objects.filter(pk=reader.pk).update(is_active=False)
    assert client.get("/api/v1/posts/", headers=api_headers(reader.email, PASSWORD)).status_code == 401
    assert client.get("/api/v1/posts/", headers=api_headers(token)).status_code == 401


def test_unconfirmed_accounts_get_403_unconfirmed_account(client, unconfirmed):
    response = client.get("/api/v1/posts/", headers=api_headers(unconfirmed.email, PASSWORD))
    assert error_of(response) == (403, "forbidden", "Unconfirmed account")


def test_unconfirmed_accounts_get_no_token(client, unconfirmed):
    response = client.post("/api/v1/tokens/", headers=api_headers(unconfirmed.email, PASSWORD))
    assert error_of(response) == (403, "forbidden", "Unconfirmed account")


def test_a_token_works_as_basic_user_name_and_as_bearer(client, reader):
    token = token_for(client, reader)
    assert "." in token and ":" not in token
    assert client.get("/api/v1/posts/", headers=api_headers(token, "")).status_code == 200
    assert client.get("/api/v1/posts/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_token_cannot_get_a_token(client, reader):
    token = token_for(client, reader)
    for headers in (api_headers(token, ""), {"Authorization": f"Bearer {token}"}):
        response = client.post("/api/v1/tokens/", headers=headers)
        assert error_of(response) == (401, "unauthorized", "Invalid credentials")


def test_a_session_cannot_get_a_token(reader_client):
    assert reader_client.post("/api/v1/tokens/").status_code == 401


def test_the_token_endpoint_only_takes_post(client, reader):
    response = client.get("/api/v1/tokens/", headers=api_headers(reader.email, PASSWORD))
    assert error_of(response)[:2] == (405, "method not allowed")
    assert response["Allow"] == "POST"


def test_a_token_expires_after_an_hour(client, reader, monkeypatch):
    token = token_for(client, reader)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3599)
    assert client.get("/api/v1/posts/", headers=api_headers(token)).status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + 3601)
    response = client.get("/api/v1/posts/", headers=api_headers(token))
    assert error_of(response) == (401, "unauthorized", "Invalid credentials")


def test_a_token_checked_before_still_expires_on_time(client, reader, monkeypatch):
    token = token_for(client, reader)
    assert client.get("/api/v1/posts/", headers=api_headers(token)).status_code == 200  # (checked, kept)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3601)
    response = client.get("/api/v1/posts/", headers=api_headers(token))
    assert error_of(response) == (401, "unauthorized", "Invalid credentials")


def test_a_token_checked_before_is_refused_once_its_key_is_replaced(client, reader, settings):
    token = token_for(client, reader)
    assert client.get("/api/v1/posts/", headers=api_headers(token)).status_code == 200  # (checked, kept)
    settings.SECRET_KEY = "another-key-" + "x" * 50
    response = client.get("/api/v1/posts/", headers=api_headers(token))
    assert error_of(response) == (401, "unauthorized", "Invalid credentials")


def test_a_password_change_revokes_tokens(client, reader):
    token = token_for(client, reader)
    reader.set_password("a-brand-new-passphrase")
    reader.save()
    assert client.get("/api/v1/posts/", headers=api_headers(token)).status_code == 401
    assert client.get("/api/v1/posts/", headers=api_headers(reader.email, PASSWORD)).status_code == 401
    new = client.post("/api/v1/tokens/", headers=api_headers(reader.email, "a-brand-new-passphrase"))
    assert client.get("/api/v1/posts/", headers=api_headers(new.json()["token"])).status_code == 200


def test_a_token_of_another_site_or_salt_is_refused(client, reader):
    forged = signing.TimestampSigner(salt="another", sep=".").sign_object({"id": reader.pk, "pw": "x"})
    assert client.get("/api/v1/posts/", headers=api_headers(forged)).status_code == 401


def test_a_session_can_read(reader_client):
    assert reader_client.get("/api/v1/posts/").status_code == 200


def test_a_session_must_send_the_csrf_token_on_unsafe_methods(reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    response = send(browser, "POST", "/api/v1/posts/", {"body": "from the page's script"})
    assert error_of(response)[:2] == (403, "forbidden")
    assert "CSRF" in error_of(response)[2]

    browser.get("/")  # the page sets the CSRF cookie, as for the site's own scripts
    token = browser.cookies["csrftoken"].value
    response = send(
        browser, "POST", "/api/v1/posts/", {"body": "from the page's script"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_basic_auth_needs_no_csrf_token(reader):
    browser = Client(enforce_csrf_checks=True)
    response = send(
        browser,
        "POST",
        "/api/v1/posts/",
        {"body": "by a script"},
        headers=api_headers(reader.email, PASSWORD),
    )
    assert response.status_code == 201


def test_an_unconfirmed_session_gets_403(login, unconfirmed):
    response = login(unconfirmed).get("/api/v1/posts/")
    assert error_of(response) == (403, "forbidden", "Unconfirmed account")


def test_api_clients_keep_last_seen_fresh(client):
    user = UserFactory(last_seen=timezone.now() - timedelta(days=3))
    client.get("/api/v1/posts/", headers=api_headers(user.email, PASSWORD))
    user.refresh_from_db()
    assert timezone.now() - user.last_seen < timedelta(minutes=1)
