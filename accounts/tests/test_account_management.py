"""The unconfirmed gate, resending confirmation, changing and resetting passwords, changing email."""

import time
from types import SimpleNamespace

import pytest
from django.core import signing

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-secret-77"


# --- the unconfirmed gate ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/user/newcomer/", "/edit-profile/"])
def test_unconfirmed_user_is_sent_to_the_unconfirmed_page(login, unconfirmed, path):
    response = login(unconfirmed).get(path)
    assert response.status_code == 302 and response["Location"] == "/auth/unconfirmed/"


@pytest.mark.parametrize(
    "path", ["/auth/password/change/", "/auth/email/", "/auth/logout/", "/auth/unconfirmed/"]
)
def test_unconfirmed_user_may_use_the_account_pages(login, unconfirmed, path):
    assert login(unconfirmed).get(path).status_code == 200


def test_unconfirmed_user_still_gets_404_for_unknown_pages(login, unconfirmed):
    assert login(unconfirmed).get("/no/such/page/").status_code == 404


def test_unconfirmed_page_greets_and_offers_a_new_link(login, unconfirmed):
    content = login(unconfirmed).get("/auth/unconfirmed/").content.decode()
    assert "Hello, newcomer!" in content
    assert "You have not confirmed your account yet." in content
    assert 'action="/auth/confirm/"' in content


@pytest.mark.parametrize("who", ["anonymous", "confirmed"])
def test_unconfirmed_page_sends_others_home(client, reader, who):
    if who == "confirmed":
        client.force_login(reader)
    response = client.get("/auth/unconfirmed/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_resend_confirmation_sends_a_new_link(login, unconfirmed, mailoutbox):
    response = login(unconfirmed).post("/auth/confirm/", follow=True)
    assert [message.to for message in mailoutbox] == [[unconfirmed.email]]
    assert mailoutbox[0].subject == "[Flasky] Confirm your email address"
    assert "A confirmation email has been sent to newcomer@example.com." in response.content.decode()


def test_resend_confirmation_twice_in_a_row_is_refused_politely(login, unconfirmed, mailoutbox):
    client = login(unconfirmed)
    client.post("/auth/confirm/")
    response = client.post("/auth/confirm/", follow=True)
    assert len(mailoutbox) == 1
    assert "A confirmation email was sent a moment ago" in response.content.decode()


def test_resend_confirmation_refuses_get(login, unconfirmed, mailoutbox):
    response = login(unconfirmed).get("/auth/confirm/")
    assert response.status_code == 405
    assert not mailoutbox


def test_resend_link_confirms_the_account(login, unconfirmed, mailoutbox):
    client = login(unconfirmed)
    client.post("/auth/confirm/")
    client.post(link_in(mailoutbox[0], "/confirm-email/"))
    unconfirmed.refresh_from_db()
    assert unconfirmed.confirmed
    assert client.get("/").status_code == 200


# --- changing the password --------------------------------------------------------------------------------


def test_change_password_needs_the_old_one(reader_client, reader):
    response = reader_client.post(
        "/auth/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_change_password_keeps_the_user_logged_in(reader_client, reader):
    response = reader_client.post(
        "/auth/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert response.context["user"] == reader
    assert "Your password has been updated." in response.content.decode()


def test_change_password_needs_login(client):
    response = client.get("/auth/password/change/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_flaskys_change_password_address_still_works(reader_client):
    assert reader_client.get("/auth/change-password/", follow=True).status_code == 200


# --- resetting a forgotten password -----------------------------------------------------------------------


def test_reset_request_answers_the_same_for_known_and_unknown_addresses(client, reader, mailoutbox):
    known = client.post("/auth/password/reset/", {"email": reader.email})
    unknown = client.post("/auth/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mailoutbox] == [[reader.email], ["nobody@example.com"]]
    assert mailoutbox[0].subject == "[Flasky] Reset Your Password"
    assert "there is no account with this address" in mailoutbox[1].body


def test_reset_is_not_mailed_to_an_unconfirmed_address(client, reader, unconfirmed, mailoutbox):
    refused = client.post("/auth/password/reset/", {"email": unconfirmed.email})
    known = client.post("/auth/password/reset/", {"email": reader.email})
    assert refused.status_code == known.status_code == 302
    assert refused["Location"] == known["Location"]
    assert [message.to for message in mailoutbox] == [[reader.email]]
    unconfirmed.refresh_from_db()
    assert unconfirmed.check_password(PASSWORD)


def test_reset_link_sets_a_new_password_once(client, reader, mailoutbox):
    client.post("/auth/password/reset/", {"email": reader.email.upper()})
    link = link_in(mailoutbox[0], "/password/reset/key/")
    form_url = client.get(link)["Location"]  # allauth moves the key out of the address bar first
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True)
    assert "The reset link is invalid or has expired." in again.content.decode()


def test_tampered_reset_link_is_refused(client, reader, mailoutbox):
    client.post("/auth/password/reset/", {"email": reader.email})
    link = link_in(mailoutbox[0], "/password/reset/key/")
    response = client.get(link.rstrip("/") + "x/", follow=True)
    assert "The reset link is invalid or has expired." in response.content.decode()
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


# --- changing the email address ---------------------------------------------------------------------------


def _request_email_change(client, new_email):
    # allauth asks for the password again before it lets anyone manage email addresses.
    client.post("/auth/reauthenticate/", {"password": PASSWORD})
    return client.post("/auth/email/", {"action_add": "", "email": new_email})


def test_change_email_asks_for_the_password_first(reader_client):
    response = reader_client.post("/auth/email/", {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302 and response["Location"].startswith("/auth/reauthenticate/")


def test_change_email_sends_the_link_to_the_new_address_and_changes_nothing_yet(
    reader_client, reader, mailoutbox
):
    _request_email_change(reader_client, "New.Address@Example.com")
    assert [message.to for message in mailoutbox] == [["new.address@example.com"]]
    assert mailoutbox[0].subject == "[Flasky] Confirm your email address"
    reader.refresh_from_db()
    assert reader.email == "reader@example.com"


def test_change_email_happens_when_confirmed(reader_client, reader, mailoutbox, settings):
    settings.FLASKY_GRAVATAR = True  # the Gravatar follows the address
    _request_email_change(reader_client, "new@example.com")
    reader_client.post(link_in(mailoutbox[0], "/confirm-email/"))
    reader.refresh_from_db()
    assert (reader.email, reader.confirmed) == ("new@example.com", True)
    assert reader.avatar_url(40) != UserFactory.build(email="reader@example.com").avatar_url(40)


def test_an_email_change_link_expires_after_an_hour(reader_client, reader, mailoutbox, monkeypatch):
    _request_email_change(reader_client, "new@example.com")
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: time.time() + 61 * 60))
    reader_client.post(link_in(mailoutbox[0], "/confirm-email/"))
    reader.refresh_from_db()
    assert reader.email == "reader@example.com"


def test_change_email_refuses_a_registered_address(reader_client, reader, mailoutbox):
    UserFactory(email="taken@example.com")
    response = _request_email_change(reader_client, "TAKEN@example.com")
    assert "Email already registered." in response.content.decode()
    assert not mailoutbox


def test_change_email_rechecks_uniqueness_when_confirmed(reader_client, reader, mailoutbox):
    _request_email_change(reader_client, "contested@example.com")
    UserFactory(username="quicker", email="contested@example.com")
    reader_client.post(link_in(mailoutbox[0], "/confirm-email/"))
    reader.refresh_from_db()
    assert reader.email == "reader@example.com"
    assert User.objects.filter(email="contested@example.com").count() == 1


def test_reset_is_mailed_to_an_administrator_made_by_createsuperuser(client, django_user_model, mailoutbox):
    # createsuperuser makes a confirmed account without allauth's address row: it is confirmed all the same.
    admin = django_user_model.objects.create_superuser(
        email="root@example.com", username="root", password=PASSWORD
    )
    assert admin.confirmed
    client.post("/auth/password/reset/", {"email": "root@example.com"})
    assert [message.to for message in mailoutbox] == [["root@example.com"]]
