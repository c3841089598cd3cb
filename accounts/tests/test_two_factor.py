"""Two-factor login (allauth.mfa): turning it on, logging in with a code or a recovery code, the staff rule,
and the API's password login."""

import base64

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import totp_code, turn_on_two_factor

pytestmark = pytest.mark.django_db


def _log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_security_page_offers_two_factor_login(reader_client):
    response = reader_client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp").encode() in response.content
    assert reverse("usersessions_list").encode() in response.content


def test_turning_on_two_factor_login_with_the_apps_code(reader_client, reader):
    client = reader_client
    # Turning it on asks for the password again first.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert b'src="data:image/svg+xml' in page.content  # the QR code, allowed by the CSP's img-src data:

    wrong_code = "000000" if totp_code(secret) != "000000" else "111111"
    wrong = client.post(reverse("mfa_activate_totp"), {"code": wrong_code})
    assert wrong.status_code == 400  # a form with errors, as every form of the site answers
    assert not Authenticator.objects.filter(user=reader).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=reader).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_login_asks_for_the_code_after_the_password(client, reader):
    secret = turn_on_two_factor(reader)
    response = _log_in(client, reader)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert _logged_in_user_id(client) is None
    # Not logged in yet: the site still treats the visitor as anonymous.
    assert client.get(reverse("accounts:edit_profile")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(reader.pk)


def test_a_wrong_code_does_not_log_in(client, reader):
    secret = turn_on_two_factor(reader)
    _log_in(client, reader)
    wrong = "123456" if totp_code(secret) != "123456" else "654321"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert _logged_in_user_id(client) is None


def test_a_recovery_code_logs_in_once(client, login, reader):
    turn_on_two_factor(reader)
    codes = Authenticator.objects.get(user=reader, type=Authenticator.Type.RECOVERY_CODES).wrap()
    code = codes.get_unused_codes()[0]
    _log_in(client, reader)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert _logged_in_user_id(client) == str(reader.pk)

    second = type(client)()
    _log_in(second, reader)
    response = second.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 400
    assert _logged_in_user_id(second) is None
    codes = Authenticator.objects.get(user=reader, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert code not in codes.get_unused_codes()


def test_security_page_shows_recovery_codes_when_on(reader, login):
    turn_on_two_factor(reader)
    response = login(reader).get(reverse("mfa_index"))
    assert reverse("mfa_deactivate_totp").encode() in response.content
    assert reverse("mfa_view_recovery_codes").encode() in response.content


# --- The staff rule -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/moderate/", "/talks/moderate/"])
def test_staff_without_two_factor_are_sent_to_the_security_page(settings, moderator_client, path):
    settings.FLASKY_REQUIRE_2FA_FOR_STAFF = True
    response = moderator_client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    page = moderator_client.get(reverse("mfa_index"))
    assert "two-factor login before" in page.content.decode()


def test_staff_with_two_factor_reach_the_staff_pages(settings, login, administrator):
    settings.FLASKY_REQUIRE_2FA_FOR_STAFF = True
    turn_on_two_factor(administrator)
    client = login(administrator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/moderate/").status_code == 200


def test_the_staff_rule_can_be_switched_off(settings, moderator_client):
    settings.FLASKY_REQUIRE_2FA_FOR_STAFF = False
    assert moderator_client.get("/moderate/").status_code == 200


def test_the_staff_rule_leaves_users_alone(settings, reader_client):
    settings.FLASKY_REQUIRE_2FA_FOR_STAFF = True
    assert reader_client.get("/talks/moderate/").status_code == 200
    assert reader_client.get(reverse("home")).status_code == 200


# --- The API ----------------------------------------------------------------------------------------------


def _basic(email, password):
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


def test_api_refuses_the_password_alone_with_two_factor_on(client, reader):
    turn_on_two_factor(reader)
    response = client.get("/api/v1/posts/", HTTP_AUTHORIZATION=_basic(reader.email, PASSWORD))
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert "X-Flasky-OTP" in response.json()["message"]


def test_api_password_still_works_without_two_factor(client):
    user = UserFactory()
    response = client.get("/api/v1/posts/", HTTP_AUTHORIZATION=_basic(user.email, PASSWORD))
    assert response.status_code == 200


def test_api_wrong_password_says_only_invalid_credentials(client, reader):
    turn_on_two_factor(reader)
    response = client.get("/api/v1/posts/", HTTP_AUTHORIZATION=_basic(reader.email, "wrong"))
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid credentials"


def test_api_token_needs_the_code_with_two_factor_on(client, reader):
    secret = turn_on_two_factor(reader)
    auth = _basic(reader.email, PASSWORD)
    assert client.post("/api/v1/tokens/", HTTP_AUTHORIZATION=auth).status_code == 401
    wrong = "123456" if totp_code(secret) != "123456" else "654321"
    assert client.post("/api/v1/tokens/", HTTP_AUTHORIZATION=auth, HTTP_X_FLASKY_OTP=wrong).status_code == 401

    response = client.post("/api/v1/tokens/", HTTP_AUTHORIZATION=auth, HTTP_X_FLASKY_OTP=totp_code(secret))
    assert response.status_code == 200
    token = response.json()["token"]
    posts = client.get("/api/v1/posts/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert posts.status_code == 200


def test_api_code_header_is_ignored_outside_the_token_endpoint(client, reader):
    secret = turn_on_two_factor(reader)
    response = client.get(
        "/api/v1/posts/",
        HTTP_AUTHORIZATION=_basic(reader.email, PASSWORD),
        HTTP_X_FLASKY_OTP=totp_code(secret),
    )
    assert response.status_code == 401
