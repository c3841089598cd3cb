"""Registering, confirming, logging in and out (allauth in Flasky's words)."""

import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import link_in
from conftest import Client

pytestmark = pytest.mark.django_db

SIGNUP = "/auth/signup/"
VERIFICATION_SENT = "/auth/confirm-email/"
LOGIN = "/auth/login/"
LOGOUT = "/auth/logout/"


def signup(client, follow=False, **fields):
    data = {"email": "john@example.com", "username": "john", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, {**data, **fields}, follow=follow)


def test_register_creates_an_unconfirmed_user_and_sends_the_confirmation(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == VERIFICATION_SENT
    user = User.objects.get(username="john")
    assert (user.email, user.confirmed, user.role) == ("john@example.com", False, Role.USER)
    assert [message.subject for message in mailoutbox] == ["[Flasky] Confirm Your Account"]
    message = mailoutbox[0]
    assert message.to == ["john@example.com"]
    assert "Dear john," in message.body and "/auth/confirm-email/" in message.body
    assert "http://testserver/auth/confirm-email/" in message.alternatives[0][0]


def test_register_does_not_log_in_until_the_user_does(client):
    # As Flasky, without its "by email": "A confirmation email has been sent to you." and then the login
    # page. Being logged in would tell a new address from one that already has an account.
    response = signup(client, follow=True)
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "A confirmation email has been sent to you." in content and "by email" not in content


def test_the_confirmation_sent_message_is_in_spanish(client):
    data = {"email": "juan@example.com", "username": "juan", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(SIGNUP, data, follow=True, headers={"Accept-Language": "es"})
    assert "Te hemos enviado un correo de confirmación." in response.content.decode()


def test_flaskys_register_address_leads_to_signup(client):
    response = client.get("/auth/register/")
    assert response.status_code == 301 and response["Location"] == SIGNUP


def test_register_stores_the_email_lower_case(client):
    signup(client, email="John.Smith@Example.com")
    assert User.objects.get(username="john").email == "john.smith@example.com"


def page_text(response):
    """The page without its per-session CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_register_with_a_registered_email_answers_as_a_new_one_and_tells_the_owner(client, mailoutbox):
    UserFactory(email="john@example.com", username="first")
    taken = signup(client, email="JOHN@Example.com", follow=True)
    new = signup(Client(), email="new@example.com", username="newcomer", follow=True)
    assert taken.redirect_chain == new.redirect_chain == [(VERIFICATION_SENT, 302)]
    assert page_text(taken).replace("john@example.com", "new@example.com") == page_text(new)
    assert User.objects.filter(email="john@example.com").count() == 1
    assert not User.objects.filter(username="john").exists()
    assert [message.to for message in mailoutbox] == [["john@example.com"], ["new@example.com"]]
    assert "an account with this address already exists" in mailoutbox[0].body
    assert "_auth_user_id" not in client.session


def test_register_refuses_a_taken_username_in_another_case(client):
    UserFactory(username="John", email="first@example.com")
    response = signup(client, username="john")
    assert "Username already in use." in response.content.decode()
    assert not User.objects.filter(email="john@example.com").exists()


@pytest.mark.parametrize("username", ["1john", "john doe", "jöhn", "john!", "_john", "a" * 65])
def test_register_refuses_a_bad_username(client, username):
    response = signup(client, username=username)
    assert response.status_code == 400
    assert not User.objects.filter(email="john@example.com").exists()


def test_register_explains_the_username_rule(client):
    response = signup(client, username="john doe")
    assert "Usernames must have only letters, numbers, dots or underscores" in response.content.decode()


def test_register_refuses_mismatched_passwords(client):
    response = signup(client, password2="something-else-entirely")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_register_refuses_a_weak_password(client):
    response = signup(client, password1="cat", password2="cat")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_register_makes_flasky_admin_an_administrator(client, settings):
    settings.FLASKY_ADMIN = ["boss@example.com"]
    signup(client, email="Boss@Example.com", username="boss")
    assert User.objects.get(username="boss").role == Role.ADMINISTRATOR


def test_confirmation_link_shows_a_confirm_button_and_changes_nothing_on_get(client, mailoutbox):
    signup(client)
    response = client.get(link_in(mailoutbox[0], "/confirm-email/"))
    assert response.status_code == 200
    assert "Confirm Email Address" in response.content.decode()
    assert not User.objects.get(username="john").confirmed


def test_confirming_marks_the_account_confirmed(client, mailoutbox):
    signup(client)
    response = client.post(link_in(mailoutbox[0], "/confirm-email/"), follow=True)
    assert User.objects.get(username="john").confirmed
    assert "You have confirmed john@example.com. Thanks!" in response.content.decode()


def later(monkeypatch, seconds):
    """Signed links are read as if ``seconds`` had passed."""
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: time.time() + seconds))


def test_a_confirmation_link_works_for_an_hour(client, mailoutbox, monkeypatch):
    signup(client)
    later(monkeypatch, 59 * 60)
    client.post(link_in(mailoutbox[0], "/confirm-email/"))
    assert User.objects.get(username="john").confirmed


def test_a_confirmation_link_expires_after_an_hour(client, mailoutbox, monkeypatch):
    signup(client)
    later(monkeypatch, 61 * 60)
    response = client.get(link_in(mailoutbox[0], "/confirm-email/"))
    assert "The confirmation link is invalid or has expired." in response.content.decode()
    client.post(link_in(mailoutbox[0], "/confirm-email/"))
    assert not User.objects.get(username="john").confirmed


def test_the_confirmation_link_lifetime_is_a_setting(client, mailoutbox, monkeypatch, settings):
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 2  # what CONFIRMATION_LINK_MAX_AGE=172800 sets
    signup(client)
    later(monkeypatch, 36 * 60 * 60)
    client.post(link_in(mailoutbox[0], "/confirm-email/"))
    assert User.objects.get(username="john").confirmed


def test_a_bad_confirmation_link_says_so(client, reader):
    client.force_login(reader)
    response = client.get("/auth/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "The confirmation link is invalid or has expired." in response.content.decode()
    response = client.post("/auth/confirm-email/not-a-real-key/")
    assert response.status_code in (200, 302, 404)


def test_login_with_email_and_password(client, reader):
    response = client.post(LOGIN, {"login": "READER@example.com", "password": PASSWORD}, follow=True)
    assert response.context["user"] == reader
    assert response.redirect_chain[-1][0] == "/"


def test_login_with_a_wrong_password_says_so(client, reader):
    response = client.post(LOGIN, {"login": reader.email, "password": "wrong-password"})
    assert response.status_code == 400
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_uses_flaskys_words(client):
    content = client.get(LOGIN).content.decode()
    assert "<h1>Login</h1>" in content
    assert "Keep me logged in" in content
    assert "Click here to reset it" in content and "Click here to register" in content


def test_login_page_offers_forgot_your_password_once(client):
    # allauth's password field brings its own link as help text; the page's sentence is Flasky's.
    assert client.get(LOGIN).content.decode().count("Forgot your password?") == 1


def test_keep_me_logged_in_unchecked_ends_with_the_browser(client, reader):
    client.post(LOGIN, {"login": reader.email, "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()


def test_keep_me_logged_in_checked_survives_the_browser(client, reader):
    client.post(LOGIN, {"login": reader.email, "password": PASSWORD, "remember": "on"})
    assert not client.session.get_expire_at_browser_close()


def test_login_follows_a_local_next(client, reader):
    response = client.post(f"{LOGIN}?next=/edit-profile/", {"login": reader.email, "password": PASSWORD})
    assert response["Location"] == "/edit-profile/"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "http://evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_login_ignores_a_foreign_next(client, reader, target):
    response = client.post(LOGIN, {"login": reader.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


def test_logout_by_get_only_asks(reader_client):
    response = reader_client.get(LOGOUT)
    assert response.status_code == 200
    assert "_auth_user_id" in reader_client.session


def test_logout_by_post(reader_client):
    response = reader_client.post(LOGOUT, follow=True)
    assert "_auth_user_id" not in reader_client.session
    assert "You have been logged out." in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, reader):
    for _ in range(6):
        client.post(LOGIN, {"login": reader.email, "password": "wrong"})
    response = client.post(LOGIN, {"login": reader.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_reset_request_with_errors_is_a_400(client, mailoutbox):
    response = client.post("/auth/password/reset/", {"email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not mailoutbox


def test_allauths_rate_limit_page_is_in_the_layout(client, reader, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "20/m/ip,1/m/key"}
    client.post("/auth/password/reset/", {"email": reader.email})
    response = client.post("/auth/password/reset/", {"email": reader.email})
    assert response.status_code == 429
    content = response.content.decode()
    assert "<h1>Too Many Requests</h1>" in content and "navbar" in content


def test_inactive_users_cannot_log_in(client):
    user = UserFactory(is_active=False)
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD}, follow=True)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_navbar_shows_log_in_and_register_to_strangers(client):
    content = client.get(reverse("home")).content.decode()
    assert "Hello, Stranger!" in content
    assert 'href="/auth/login/"' in content and 'href="/auth/signup/"' in content
