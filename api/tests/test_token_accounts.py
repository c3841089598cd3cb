"""The account a token names is kept in the cache (api.tokens) with the account's version (accounts.versions):
a token's next request reads no account from the database, and every change to the account shows on the
very next request (a revoked token never works again, not even once)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import versions
from accounts.models import Role
from accounts.services import promote_flasky_admins
from api.tests.helpers import api_headers, error_of, send
from api.tokens import make_token
from blog.models import Moderation
from blog.tests.factories import PostFactory
from moderation.services import suspend

pytestmark = pytest.mark.django_db

ACCOUNT_READ = 'SELECT "accounts_user"."id"'


@pytest.fixture(autouse=True)
def _kept_accounts(settings):
    # One process here, so its local cache is shared by every request (production needs REDIS_URL for it).
    settings.API_TOKEN_ACCOUNT_SECONDS = 300


def get_posts(client, token):
    return client.get("/api/v1/posts/", headers=api_headers(token))


def account_reads(client, token):
    """How many times a request with ``token`` read an account from the database (and its status)."""
    with CaptureQueriesContext(connection) as queries:
        status = get_posts(client, token).status_code
    return sum(query["sql"].startswith(ACCOUNT_READ) for query in queries), status


def test_a_token_s_account_is_read_once(client, reader):
    token = make_token(reader)
    assert account_reads(client, token) == (1, 200)
    assert account_reads(client, token) == (0, 200)
    assert account_reads(client, token) == (0, 200)


def test_each_token_has_its_own_entry(client, reader, author):
    mine, theirs = make_token(reader), make_token(author)
    get_posts(client, mine)
    get_posts(client, theirs)
    me = client.get(f"/api/v1/users/{reader.pk}", headers=api_headers(mine))
    assert me.status_code == 200
    posted = send(client, "POST", "/api/v1/posts/", {"body": "mine"}, headers=api_headers(theirs))
    assert posted.status_code == 201
    assert posted.json()["author_url"] == f"/api/v1/users/{author.pk}"


def change_password(user):
    user.set_password("a-brand-new-passphrase")
    user.save()


def deactivate(user):
    user.is_active = False
    user.save()


def delete(user):
    user.delete()


@pytest.mark.parametrize(
    "change", [change_password, deactivate, delete], ids=["password", "deactivation", "deletion"]
)
def test_a_revoked_token_fails_on_the_next_request(client, reader, change):
    token = make_token(reader)
    assert get_posts(client, token).status_code == 200
    assert get_posts(client, token).status_code == 200  # (from the cache)
    change(reader)
    assert error_of(get_posts(client, token)) == (401, "unauthorized", "Invalid credentials")


def test_a_suspension_shows_on_the_next_request(client, reader, moderator):
    token = make_token(reader)
    get_posts(client, token)
    get_posts(client, token)
    suspend(reader, by=moderator, days=3)  # (an UPDATE, which sends no signal)
    assert error_of(get_posts(client, token))[:2] == (403, "forbidden")


def test_an_unconfirmed_account_shows_on_the_next_request(client, reader):
    token = make_token(reader)
    get_posts(client, token)
    reader.confirmed = False
    reader.save()
    assert error_of(get_posts(client, token)) == (403, "forbidden", "Unconfirmed account")


def test_a_new_role_shows_on_the_next_request(client, reader):
    hidden = PostFactory(moderation=Moderation.HIDDEN)
    token = make_token(reader)
    urls = [post["url"] for post in get_posts(client, token).json()["posts"]]
    assert f"/api/v1/posts/{hidden.pk}" not in urls
    reader.role = Role.MODERATOR
    reader.save()
    urls = [post["url"] for post in get_posts(client, token).json()["posts"]]
    assert f"/api/v1/posts/{hidden.pk}" in urls  # moderators see hidden posts
    reader.role = Role.USER
    reader.save()
    urls = [post["url"] for post in get_posts(client, token).json()["posts"]]
    assert f"/api/v1/posts/{hidden.pk}" not in urls


def test_a_promotion_at_deploy_shows_on_the_next_request(client, reader, settings):
    token = make_token(reader)
    get_posts(client, token)
    settings.FLASKY_ADMIN = [reader.email]
    assert promote_flasky_admins() == 1  # (an UPDATE, which sends no signal)
    assert account_reads(client, token) == (1, 200)


def test_a_change_voids_the_copies_again_when_it_commits(reader, django_capture_on_commit_callbacks):
    before = versions.current(reader.pk)
    with django_capture_on_commit_callbacks(execute=True):
        versions.changed(reader.pk)
        during = versions.current(reader.pk)
    after = versions.current(reader.pk)
    assert len({before, during, after}) == 3


def test_a_cached_account_is_marked_seen_at_most_once_a_minute(client, reader):
    token = make_token(reader)
    writes = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert get_posts(client, token).status_code == 200
        writes += [query for query in queries if query["sql"].startswith('UPDATE "accounts_user"')]
    assert len(writes) <= 1


def test_without_a_shared_cache_a_token_s_account_is_read_on_every_request(client, reader, settings):
    """Without REDIS_URL each worker has its own cache, where a password changed in another worker would
    not void the copy: the account is then read on every request."""
    settings.API_TOKEN_ACCOUNT_SECONDS = 0
    token = make_token(reader)
    assert account_reads(client, token) == (1, 200)
    assert account_reads(client, token) == (1, 200)
