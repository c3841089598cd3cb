"""Wrong passwords are limited per account and address, with a higher per-account ceiling that the owner's
known devices pass: knowing someone's email is not enough to lock them out."""

import pytest
from django.core import signing

from accounts.devices import COOKIE
from accounts.tests.factories import PASSWORD
from accounts.tests.helpers import link_in
from conftest import Client

pytestmark = pytest.mark.django_db

LOGIN = "/auth/login/"
LOGOUT = "/auth/logout/"
TOO_MANY = "Too many failed login attempts"


def attempt(client, user, password, address):
    return client.post(LOGIN, {"login": user.email, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def small_ceiling(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "8/5m/key"}


def flood(user, *, addresses, tries=4):
    attacker = Client()
    for address in addresses:
        for _ in range(tries):
            attempt(attacker, user, "wrong-password", address)
    return attacker


def test_wrong_passwords_lock_out_the_address_they_came_from(reader):
    attacker = flood(reader, addresses=["10.0.0.1"], tries=6)
    response = attempt(attacker, reader, PASSWORD, "10.0.0.1")
    assert TOO_MANY in response.content.decode()
    assert not logged_in(attacker)


def test_the_owner_logs_in_from_another_address_after_an_attack(reader):
    flood(reader, addresses=["10.0.0.1"], tries=6)
    owner = Client()
    response = attempt(owner, reader, PASSWORD, "192.0.2.7")
    assert response.status_code == 302
    assert logged_in(owner)


def test_the_account_ceiling_stops_an_attack_from_many_addresses(reader, small_ceiling):
    attacker = flood(reader, addresses=["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    response = attempt(attacker, reader, PASSWORD, "10.0.0.4")
    assert TOO_MANY in response.content.decode()
    assert not logged_in(attacker)


def test_the_owner_on_a_new_device_waits_out_the_account_ceiling(reader, small_ceiling):
    flood(reader, addresses=["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    owner = Client()
    assert TOO_MANY in attempt(owner, reader, PASSWORD, "192.0.2.7").content.decode()
    assert not logged_in(owner)


def test_the_owner_on_a_known_device_passes_the_account_ceiling(reader, small_ceiling):
    owner = Client()
    attempt(owner, reader, PASSWORD, "192.0.2.7")
    owner.post(LOGOUT)
    flood(reader, addresses=["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    response = attempt(owner, reader, PASSWORD, "192.0.2.7")
    assert response.status_code == 302
    assert logged_in(owner)


def test_a_known_device_still_counts_its_own_wrong_passwords(reader):
    owner = Client()
    attempt(owner, reader, PASSWORD, "192.0.2.7")
    owner.post(LOGOUT)
    for _ in range(6):
        attempt(owner, reader, "wrong-password", "192.0.2.7")
    assert TOO_MANY in attempt(owner, reader, PASSWORD, "192.0.2.7").content.decode()


def test_a_successful_login_remembers_the_device_in_a_signed_long_lived_cookie(reader):
    client = Client()
    response = attempt(client, reader, PASSWORD, "192.0.2.7")
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["max-age"] >= 365 * 24 * 60 * 60
    assert reader.pk in signing.loads(cookie.value, salt="accounts.devices")


def test_a_forged_device_cookie_is_not_a_known_device(reader, small_ceiling):
    flood(reader, addresses=["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    forger = Client()
    forger.cookies[COOKIE] = signing.dumps([reader.pk], key="not-the-secret-key", salt="accounts.devices")
    assert TOO_MANY in attempt(forger, reader, PASSWORD, "10.0.0.9").content.decode()
    assert not logged_in(forger)


def test_a_password_reset_clears_the_account_ceiling(reader, small_ceiling, mailoutbox):
    flood(reader, addresses=["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    owner = Client()
    owner.post("/auth/password/reset/", {"email": reader.email}, REMOTE_ADDR="192.0.2.7")
    form_url = owner.get(link_in(mailoutbox[0], "/password/reset/key/"), REMOTE_ADDR="192.0.2.7")["Location"]
    new = "a-brand-new-secret-91"
    owner.post(form_url, {"password1": new, "password2": new}, REMOTE_ADDR="192.0.2.7")
    assert attempt(owner, reader, new, "192.0.2.7").status_code == 302
    assert logged_in(owner)
