"""Rate limits: per account, per IP for everyone else (failed logins included), 429 with Retry-After."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache, caches
from rest_framework.exceptions import Throttled

from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers, error_of
from api.throttling import FailedLoginThrottle, UserThrottle
from api.tokens import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "2/minute", "login": "100/minute"},
    }


def test_an_account_gets_429_with_retry_after_past_its_rate(client, reader):
    headers = api_headers(reader.email, PASSWORD)
    for _ in range(3):
        assert client.get("/api/v1/posts/", headers=headers).status_code == 200
    response = client.get("/api/v1/posts/", headers=headers)
    assert error_of(response)[:2] == (429, "too many requests")
    assert 0 < int(response["Retry-After"]) <= 60


def test_accounts_have_budgets_of_their_own(client, reader, author):
    for _ in range(4):
        client.get("/api/v1/posts/", headers=api_headers(reader.email, PASSWORD))
    assert client.get("/api/v1/posts/", headers=api_headers(author.email, PASSWORD)).status_code == 200


def test_the_site_s_own_scripts_count_against_the_account(reader_client):
    for _ in range(3):
        assert reader_client.get("/api/v1/posts/").status_code == 200
    assert reader_client.get("/api/v1/posts/").status_code == 429


def test_anonymous_requests_are_limited_per_ip(client):
    for _ in range(2):
        assert client.get("/api/v1/posts/").status_code == 401
    response = client.get("/api/v1/posts/")
    assert error_of(response)[:2] == (429, "too many requests")
    assert int(response["Retry-After"]) > 0
    # Another address has its own budget.
    assert client.get("/api/v1/posts/", REMOTE_ADDR="192.0.2.7").status_code == 401


def test_failed_logins_count_against_the_ip(client, reader):
    for guess in ("one", "two"):
        assert client.get("/api/v1/posts/", headers=api_headers(reader.email, guess)).status_code == 401
    assert client.get("/api/v1/posts/", headers=api_headers(reader.email, "three")).status_code == 429


@pytest.fixture
def two_guesses(settings):
    # Two wrong passwords per account and address; five per address (any accounts) and per account (any
    # addresses).
    rates = {
        "user": "100/minute",
        "anon": "100/minute",
        "login": "2/5m",
        "login_address": "5/5m",
        "login_account": "5/5m",
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def guess(client, email, password, address="192.0.2.1"):
    return client.get("/api/v1/posts/", headers=api_headers(email, password), REMOTE_ADDR=address)


def test_past_its_wrong_passwords_an_account_has_none_checked_from_that_address(client, reader, two_guesses):
    assert guess(client, reader.email, "one").status_code == 401
    assert guess(client, reader.email.upper(), "two").status_code == 401
    response = guess(client, reader.email, PASSWORD)  # right, but no longer checked: no oracle
    assert error_of(response)[:2] == (429, "too many requests")
    assert 0 < int(response["Retry-After"]) <= 300


def test_an_account_s_wrong_passwords_do_not_lock_it_out_of_other_addresses(client, reader, two_guesses):
    for password in ("one", "two", "three"):
        guess(client, reader.email, password, address="192.0.2.1")
    assert guess(client, reader.email, PASSWORD, address="192.0.2.2").status_code == 200


def test_other_accounts_failing_from_an_address_do_not_lock_out_a_right_password(
    client, reader, author, two_guesses
):
    # The reported defect: ten wrong passwords from an office's address locked everyone there out.
    for email in ("someone@example.com", author.email):
        for password in ("one", "two"):
            assert guess(client, email, password).status_code == 401
    assert guess(client, author.email, PASSWORD).status_code == 429  # that account, from there
    assert guess(client, reader.email, PASSWORD).status_code == 200  # another account, same address


def test_past_its_ceiling_an_address_has_no_password_checked(client, reader, two_guesses):
    # One wrong password on each of many accounts (spraying) is stopped at the address's ceiling.
    for number in range(5):
        assert guess(client, f"user{number}@example.com", "password1").status_code == 401
    assert guess(client, reader.email, PASSWORD).status_code == 429
    assert guess(client, reader.email, PASSWORD, address="192.0.2.2").status_code == 200


def test_past_its_ceiling_an_account_has_no_password_checked(client, reader, author, two_guesses):
    # Guesses on one account from many addresses are stopped at the account's ceiling.
    for number in range(5):
        assert guess(client, reader.email, "wrong", address=f"192.0.2.{number}").status_code == 401
    assert guess(client, reader.email, PASSWORD, address="192.0.2.99").status_code == 429
    # Other accounts, and the owner's tokens, still work.
    assert guess(client, author.email, PASSWORD, address="192.0.2.99").status_code == 200
    token = make_token(reader)
    assert (
        client.get("/api/v1/posts/", headers=api_headers(token), REMOTE_ADDR="192.0.2.99").status_code == 200
    )


def test_refused_attempts_do_not_count_against_the_account_s_ceiling(client, reader, two_guesses):
    # Hammering one address past its limit (nothing checked) must not use up the account's ceiling.
    for _ in range(10):
        guess(client, reader.email, "wrong", address="192.0.2.1")
    assert guess(client, reader.email, PASSWORD, address="192.0.2.2").status_code == 200


def test_right_passwords_do_not_count_as_failures(client, reader, two_guesses):
    for _ in range(3):
        assert guess(client, reader.email, PASSWORD).status_code == 200


def test_x_forwarded_for_is_not_trusted_without_a_proxy(client):
    for number in range(2):
        client.get("/api/v1/posts/", headers={"X-Forwarded-For": f"203.0.113.{number}"})
    assert client.get("/api/v1/posts/", headers={"X-Forwarded-For": "203.0.113.99"}).status_code == 429


def test_behind_a_proxy_the_address_it_appends_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # one nginx in front: the address it appended is the client's
    for _ in range(2):
        client.get("/api/v1/posts/", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.5"})
    assert client.get("/api/v1/posts/", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert client.get("/api/v1/posts/", headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 401


def _parallel_attempts(rf, emails, address="192.0.2.9"):
    def attempt(email):
        try:
            FailedLoginThrottle(rf.get("/api/v1/posts/", REMOTE_ADDR=address), email).reserve()
        except Throttled:
            return False
        return True

    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(attempt, emails))


def test_wrong_passwords_sent_in_parallel_get_no_more_than_the_budget(rf, reader, two_guesses):
    # Each attempt is counted before its (slow) password check: twenty guesses at once, two get checked.
    assert _parallel_attempts(rf, [reader.email] * 20).count(True) == 2


def test_many_accounts_guessed_in_parallel_get_no_more_than_the_address_s_ceiling(rf, two_guesses):
    emails = [f"user{number}@example.com" for number in range(20)]
    assert _parallel_attempts(rf, emails).count(True) == 5


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, set by hand: a minute's window starts at 6,000,000 s."""
    now = [6_000_000.0]
    monkeypatch.setattr(UserThrottle, "timer", lambda self: now[0])
    return now


def test_the_previous_minute_s_requests_count_for_the_part_of_it_still_within_a_minute(client, reader, clock):
    headers = api_headers(make_token(reader))
    for _ in range(3):
        assert client.get("/api/v1/posts/", headers=headers).status_code == 200
    clock[0] += 60 + 10  # 10 s into the next window: 5/6 of the previous one's 3 requests still count (2.5)
    assert client.get("/api/v1/posts/", headers=headers).status_code == 200
    response = client.get("/api/v1/posts/", headers=headers)  # 1 + 2.5: over
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 10  # at 20 s, 1 + 2 is still at the rate; just after, below
    clock[0] += 11
    assert client.get("/api/v1/posts/", headers=headers).status_code == 200


def test_a_rate_s_count_stays_three_numbers_however_many_requests(client, reader, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "1000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    headers = api_headers(make_token(reader))
    for _ in range(5):
        client.get("/api/v1/posts/", headers=headers)
    entry = cache.get(UserThrottle.cache_format % {"scope": "user", "ident": reader.pk})
    assert isinstance(entry, tuple) and entry[1:] == (5, 0)


@pytest.fixture
def cache_reads(monkeypatch):
    """The cache's reads, as ("get", key) and ("get_many", [keys]) (a local cache's get_many calls its
    get for each key: those are the get_many's)."""
    reads, inside = [], []
    backend = type(caches["default"])
    get, get_many = backend.get, backend.get_many

    def spied_get(self, key, *args, **kwargs):
        if not inside:
            reads.append(("get", key))
        return get(self, key, *args, **kwargs)

    def spied_get_many(self, keys, *args, **kwargs):
        reads.append(("get_many", list(keys)))
        inside.append(True)
        try:
            return get_many(self, keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", spied_get)
    monkeypatch.setattr(backend, "get_many", spied_get_many)
    return reads


def test_a_token_s_rate_and_count_are_read_with_its_account_and_the_rate_still_holds(
    client, reader, settings, cache_reads
):
    """With a shared cache (production: Redis) a token's account, its rate's count and the list's cached
    count are one read (api.authentication): three round trips were one. The rate is counted as before."""
    settings.API_TOKEN_ACCOUNT_SECONDS = 300
    headers = api_headers(make_token(reader))
    rate, count = UserThrottle.key_for(reader.pk), "counts:posts"
    for attempt in range(3):
        cache_reads.clear()
        assert client.get("/api/v1/posts/", headers=headers).status_code == 200
        gets = [key for kind, key in cache_reads if kind == "get"]
        assert rate not in gets and count not in gets
        (first_read, *_rest) = [keys for kind, keys in cache_reads if kind == "get_many"]
        assert rate in first_read and count in first_read
        assert cache.get(rate)[1] == attempt + 1
    response = client.get("/api/v1/posts/", headers=headers)
    assert error_of(response)[:2] == (429, "too many requests")
    assert 0 < int(response["Retry-After"]) <= 60
    assert cache.get(rate)[1] == 3  # (a refused request is not counted, as before)


def test_a_rate_read_ahead_is_the_same_as_one_read_by_the_throttle(client, reader, settings, clock):
    """The sliding window counts the same whether the count was read with the account or by the throttle."""
    headers = api_headers(make_token(reader))
    answers = []
    for seconds in (0, 300):
        settings.API_TOKEN_ACCOUNT_SECONDS = seconds
        cache.clear()
        statuses = []
        for _ in range(3):
            statuses.append(client.get("/api/v1/posts/", headers=headers).status_code)
        clock[0] += 60 + 10
        statuses += [client.get("/api/v1/posts/", headers=headers).status_code for _ in range(2)]
        answers.append(statuses)
    assert answers[0] == answers[1] == [200, 200, 200, 200, 429]
