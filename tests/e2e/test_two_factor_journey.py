"""Two-factor login in a real browser: turn it on from the Security page, then log in again with a code."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import totp_code
from tests.e2e.helpers import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def _fresh_code(secret, used):
    """The app's current code; a code is good once, so wait for the next one if it was just used."""
    while (code := totp_code(secret)) == used:
        time.sleep(30 - time.time() % 30 + 0.5)
    return code


def test_turn_on_two_factor_login_and_log_in_with_a_code(page, live_server):
    user = UserFactory(username="carol")
    log_in(page, user)

    page.get_by_role("button", name=re.compile("Account")).click()
    page.get_by_role("link", name="Security").click()
    expect(page.locator("h1")).to_have_text("Security")
    page.get_by_role("link", name="Turn on two-factor login").click()
    # Turning it on asks for the password again.
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=submit]").click()

    expect(page.locator("h1")).to_have_text("Turn on two-factor login")
    expect(page.get_by_alt_text("QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    used = totp_code(secret)
    page.locator("[name=code]").fill(used)
    page.locator("[name=submit]").click()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    page.goto("/auth/2fa/")
    expect(page.get_by_text("Two-factor login is on")).to_be_visible()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    log_out(page)

    page.goto("/auth/login/")
    page.locator("[name=login]").fill(user.email)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=submit]").click()
    expect(page.locator("h1")).to_have_text("Two-factor login")
    page.locator("[name=code]").fill(_fresh_code(secret, used))
    page.locator("[name=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Hello,\s+carol!"))
