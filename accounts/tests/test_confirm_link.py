"""The confirmation link: its owner, logged in, confirms with one button; anyone else sees allauth's check."""

import pytest

from accounts.tests.helpers import link_in

pytestmark = pytest.mark.django_db


def _link(client, mailoutbox):
    client.post("/auth/confirm/")
    return link_in(mailoutbox[-1], "/confirm-email/")


def test_the_logged_in_owner_confirms_with_one_button(login, unconfirmed, mailoutbox):
    client = login(unconfirmed)
    link = _link(client, mailoutbox)
    page = client.get(link).content.decode()
    assert f"One click and <strong>{unconfirmed.email}</strong> is confirmed as your email address." in page
    assert page.count('type="submit" name="submit"') == 1 and "Confirm my email address" in page
    unconfirmed.refresh_from_db()
    assert not unconfirmed.confirmed  # opening the link changes nothing: confirming is the button's POST
    response = client.post(link, follow=True)
    unconfirmed.refresh_from_db()
    assert unconfirmed.confirmed
    assert response.redirect_chain[-1][0] == "/"
    assert f"You have confirmed {unconfirmed.email}. Thanks!" in response.content.decode()


def test_the_owners_page_is_in_spanish(login, unconfirmed, mailoutbox):
    client = login(unconfirmed)
    link = _link(client, mailoutbox)
    page = client.get(link, headers={"Accept-Language": "es"}).content.decode()
    assert "Confirmar mi dirección de correo" in page


def test_someone_logged_out_is_asked_whose_address_it_is(client, login, unconfirmed, mailoutbox):
    link = _link(login(unconfirmed), mailoutbox)
    page = client.get(link).content.decode()
    assert f"Please confirm that <strong>{unconfirmed.email}</strong> is the email address of" in page
    assert "Confirm my email address" not in page
