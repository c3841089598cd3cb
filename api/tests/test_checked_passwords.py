"""A right password sent with Basic auth is remembered for a few minutes (api.checked_passwords): the hasher
runs once, not on every request; a wrong password is still checked, refused and counted; a password change,
a deactivation, a suspension or a lockout is obeyed at once."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of
from api.throttling import FailedLoginThrottle
from moderation.services import suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashed(monkeypatch):
    """The passwords the hasher checked, in order (the tests' hasher is MD5: conftest.py)."""
    checked = []
    verify = MD5PasswordHasher.verify

    def counting_verify(self, password, encoded):
        checked.append(password)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting_verify)
    return checked


def get_posts(client, user, password=PASSWORD, **extra):
    return client.get("/api/v1/posts/", headers=api_headers(user.email, password), **extra)


def test_a_right_password_is_hashed_once_then_remembered(client, reader, hashed):
    for _ in range(3):
        assert get_posts(client, reader).status_code == 200
    assert hashed == [PASSWORD]


def test_a_remembered_password_is_the_account_s_own(client, reader, hashed):
    other = UserFactory(confirmed=True)
    assert get_posts(client, reader).status_code == 200
    assert get_posts(client, other).status_code == 200
    assert hashed == [PASSWORD, PASSWORD]  # the same password, another account: checked again


def test_a_wrong_password_is_checked_and_refused_every_time(client, reader, hashed):
    assert get_posts(client, reader).status_code == 200
    for _ in range(2):
        assert error_of(get_posts(client, reader, "wrong"))[0] == 401
    assert hashed == [PASSWORD, "wrong", "wrong"]  # (a failure is never remembered)


def test_wrong_passwords_still_count_toward_the_lockout_which_refuses_a_remembered_one(
    client, reader, settings, hashed
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "2/minute"}}
    assert get_posts(client, reader).status_code == 200
    for _ in range(2):
        assert get_posts(client, reader, "wrong").status_code == 401
    assert error_of(get_posts(client, reader, "wrong"))[0] == 429
    assert error_of(get_posts(client, reader))[0] == 429  # locked out: the remembered password too
    assert hashed == [PASSWORD, "wrong", "wrong"]


def test_a_password_change_forgets_the_old_password(client, reader, hashed):
    assert get_posts(client, reader).status_code == 200
    reader.set_password("a-new-password")
    reader.save()
    assert error_of(get_posts(client, reader))[0] == 401
    assert get_posts(client, reader, "a-new-password").status_code == 200
    assert hashed == [PASSWORD, PASSWORD, "a-new-password"]


def test_a_deactivated_account_is_refused_though_its_password_is_remembered(client, reader):
    assert get_posts(client, reader).status_code == 200
    reader.is_active = False
    reader.save()
    assert error_of(get_posts(client, reader))[0] == 401


def test_a_suspended_account_is_refused_though_its_password_is_remembered(client, reader, moderator, hashed):
    assert get_posts(client, reader).status_code == 200
    suspend(reader, by=moderator, days=3)
    assert error_of(get_posts(client, reader))[0] == 403
    assert hashed == [PASSWORD, PASSWORD]  # a suspension gives another key: checked again


def test_what_is_remembered_depends_on_the_secret_key(client, reader, settings, hashed):
    assert get_posts(client, reader).status_code == 200
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert get_posts(client, reader).status_code == 200
    assert hashed == [PASSWORD, PASSWORD]


def test_the_cache_holds_neither_the_password_nor_the_email(client, reader):
    if not isinstance(caches["default"], LocMemCache):
        pytest.skip("reads the keys of the local-memory cache (the tests' cache without REDIS_URL)")
    assert get_posts(client, reader).status_code == 200
    stored = " ".join(str(key) for key in cache._cache)  # (the tests' cache is local memory)
    assert "api-password-ok:" in stored
    assert PASSWORD not in stored and reader.email not in stored


def test_with_no_time_to_remember_every_request_is_hashed(client, reader, settings, hashed):
    settings.API_PASSWORD_CHECK_SECONDS = 0
    for _ in range(2):
        assert get_posts(client, reader).status_code == 200
    assert hashed == [PASSWORD, PASSWORD]


def test_a_remembered_password_is_not_counted_and_given_back(client, reader, monkeypatch):
    reserved = []
    reserve = FailedLoginThrottle.reserve
    monkeypatch.setattr(FailedLoginThrottle, "reserve", lambda self: reserved.append(1) or reserve(self))
    for _ in range(3):
        assert get_posts(client, reader).status_code == 200
    assert reserved == [1]  # the first request, whose password the hasher checked


@pytest.mark.parametrize("scope", ["login", "login_address", "login_account"], ids=lambda scope: scope)
def test_each_lockout_refuses_a_remembered_password(client, reader, settings, scope):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {scope: "2/minute"}}
    assert get_posts(client, reader).status_code == 200
    for _ in range(2):
        assert get_posts(client, reader, "wrong").status_code == 401
    assert error_of(get_posts(client, reader))[0] == 429
