"""The session's user kept in the cache (accounts.backends): read with the session in one trip, no query, and
every change to what it was read from shows on the next request, whatever made it; never another session's,
never for a reader whose facts change with time alone (a mute that ends), never with read replicas."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import backends
from accounts.models import Role, User
from accounts.tests.factories import ModeratorFactory, UserFactory
from accounts.tests.test_notifications_page import notify
from blog.tests.factories import PostFactory
from moderation import services as moderation
from social import services as social

pytestmark = pytest.mark.django_db

COUNT = "/notifications/unread-count"


def user_queries(client, path=COUNT):
    """(the response, how many times the request read the session's user from the database)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    read = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "accounts_user"."id", "accounts_user"."password"')
    ]
    return response, len(read)


def test_the_second_request_reads_the_user_from_their_copy(login):
    reader = UserFactory()
    client = login(reader)
    assert user_queries(client)[1] == 1  # read, and kept
    response, read = user_queries(client)
    assert read == 0 and response.json() == {"unread": 0}
    response, read = user_queries(client, "/")
    assert read == 0 and response.status_code == 200 and reader.username in response.content.decode()


def test_every_change_to_the_account_shows_on_the_next_request(login):
    reader = UserFactory()
    client = login(reader)
    client.get(COUNT)
    notify(reader)  # a notification: the count read with the user
    assert client.get(COUNT).json() == {"unread": 1}
    assert client.get(COUNT).json() == {"unread": 1}
    reader.username = "renamed"
    reader.save()
    assert "renamed" in client.get("/").content.decode()
    # a bulk UPDATE, which sends no signal: a new role
    assert client.get("/moderate/reports/").status_code == 403
    User.objects.filter(pk=reader.pk).update(role=Role.MODERATOR)
    assert client.get("/moderate/reports/").status_code != 403
    # suspended: the member's own page says so at once
    moderation.suspend(reader, by=ModeratorFactory(), days=3)
    assert client.get("/").wsgi_request.user.suspended_until is not None


def test_a_new_password_or_a_deactivation_ends_the_session_at_once(login):
    reader = UserFactory()
    client = login(reader)
    for _ in range(2):
        assert client.get(COUNT).status_code == 200
    reader.set_password("a new password of theirs 42")
    reader.save()  # (elsewhere: the session's hash no longer matches)
    assert client.get(COUNT).status_code == 302
    other = UserFactory()
    client = login(other)
    for _ in range(2):
        assert client.get(COUNT).status_code == 200
    User.objects.filter(pk=other.pk).update(is_active=False)
    assert client.get(COUNT).status_code == 302


def test_a_block_shows_on_the_next_request_and_a_reader_who_mutes_is_read_each_time(login):
    reader, pest = UserFactory(), UserFactory()
    post = PostFactory(author=pest, body="Zanzibar quokka")
    client = login(reader)
    client.get(COUNT)
    assert user_queries(client, f"/post/{post.pk}/")[0].status_code == 200
    social.block(blocker=reader, blocked=pest)
    assert client.get(f"/post/{post.pk}/").status_code == 404
    social.unblock(blocker=reader, blocked=pest)
    assert client.get(f"/post/{post.pk}/").status_code == 200
    # a mute that ends with no write: such a reader is read on every request, and sees the end at once
    social.mute(muter=reader, muted=pest, days=1)
    for _ in range(2):
        assert user_queries(client)[1] == 1


def test_a_copy_is_never_another_sessions(login):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    one, two = login(first), login(second)
    for _ in range(2):
        assert "first" in one.get("/").content.decode() and "second" in two.get("/").content.decode()
    # a copy read for a user id its session does not name (planted) is not used
    key = backends._copy_key(one.session.session_key)
    generation, digest, _user_id, row = cache.get(key)
    cache.set(key, (generation, digest, second.pk, row))
    response, read = user_queries(one, "/")
    assert read == 1 and response.wsgi_request.user == first


def test_a_copy_of_another_query_is_not_used(login):
    reader = UserFactory()
    client = login(reader)
    client.get(COUNT)
    key = backends._copy_key(client.session.session_key)
    generation, _digest, user_id, row = cache.get(key)
    cache.set(key, (generation, "a release before", user_id, row))
    assert user_queries(client)[1] == 1


def test_nothing_is_kept_with_read_replicas_or_without_kept_pages(login, settings):
    reader = UserFactory()
    client = login(reader)
    settings.DATABASE_REPLICAS = ["replica"]
    for _ in range(2):
        assert user_queries(client)[1] == 1
    settings.DATABASE_REPLICAS = []
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert user_queries(client)[1] == 1


def test_the_watched_tables_are_those_the_users_query_reads():
    tables = backends._read_tables(connection.alias)
    assert {"accounts_user", "accounts_notification", "social_block", "social_mute", "blog_post"} <= tables
    assert "social_mutedword" in tables and "blog_comment" not in tables
