"""The session's user kept in the cache (accounts.backends): read with the session in one trip, no query, and
every change to what it was read from shows on the next request, whatever made it; never another session's,
never for a reader whose facts change with time alone (a mute that ends), never with read replicas."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import backends
from accounts.models import Role, User
from accounts.tests.factories import PASSWORD, ModeratorFactory, UserFactory
from accounts.tests.test_notifications_page import notify
from blog.tests.factories import PostFactory
from flasky_project import pagecache
from moderation import services as moderation
from social import services as social

pytestmark = pytest.mark.django_db

COUNT = "/notifications/unread-count"
NEW_PASSWORD = "a new password of mine 42"


def user_queries(client, path=COUNT):
    """(the response, how many times the request read the session's user from the database)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    read = [q for q in queries.captured_queries if q["sql"].startswith(SESSION_USER_SELECT)]
    return response, len(read)


# (the session's user's query; the password alone, read when asked for, is 'SELECT "accounts_user"."id",
# "accounts_user"."password" FROM')
SELECT_USER = 'SELECT "accounts_user"."id", '
SESSION_USER_SELECT = 'SELECT "accounts_user"."id", "accounts_user"."password", "accounts_user"."last_login"'


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
    client.get(COUNT)
    response, read = user_queries(client)
    assert read == 0 and response.status_code == 200  # (from the copy)
    reader.set_password("a new password of theirs 42")
    reader.save()  # (elsewhere: the session's hash no longer matches)
    assert client.get(COUNT).status_code == 302
    other = UserFactory()
    client = login(other)
    client.get(COUNT)
    assert user_queries(client)[1] == 0
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
    generation, digest, _user_id, row, session_hash = cache.get(key)
    cache.set(key, (generation, digest, second.pk, row, session_hash))
    response, read = user_queries(one, "/")
    assert read == 1 and response.wsgi_request.user == first


def test_a_copy_of_another_query_is_not_used(login):
    reader = UserFactory()
    client = login(reader)
    client.get(COUNT)
    key = backends._copy_key(client.session.session_key)
    generation, _digest, user_id, row, session_hash = cache.get(key)
    cache.set(key, (generation, "a release before", user_id, row, session_hash))
    assert user_queries(client)[1] == 1


def test_nothing_is_kept_with_read_replicas_or_without_kept_pages(login, settings):
    reader = UserFactory()
    client = login(reader)
    settings.DATABASE_REPLICAS = ["replica"]
    for _ in range(2):
        assert user_queries(client)[1] == 1
    settings.DATABASE_REPLICAS = []
    settings.FLASKY_SESSION_USER_SECONDS = 0
    for _ in range(2):
        assert user_queries(client)[1] == 1


def test_the_watched_tables_are_those_the_users_query_reads():
    tables = backends._read_tables(connection.alias)
    assert {"accounts_user", "accounts_notification", "social_block", "social_mute", "blog_post"} <= tables
    assert "social_mutedword" in tables and "blog_comment" not in tables


def test_a_copy_holds_no_password_and_the_password_is_read_when_asked_for(login):
    reader = UserFactory()
    client = login(reader)
    client.get(COUNT)
    copy = cache.get(backends._copy_key(client.session.session_key))
    assert reader.password not in repr(copy) and reader.email in repr(copy)
    # a page that asks whether the account has a password reads it (a set one: the form to change it)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/auth/password/change/")
    assert response.status_code == 200 and response.wsgi_request.user.has_usable_password()
    users = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(SELECT_USER)]
    assert len(users) == 1 and not users[0].startswith(SESSION_USER_SELECT)  # (the password alone)


def test_changing_ones_own_password_keeps_the_session_read_from_a_copy(login):
    reader = UserFactory()
    client = login(reader)
    client.get(COUNT)
    assert user_queries(client)[1] == 0
    response = client.post(
        "/auth/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new password of mine 42",
            "password2": "a new password of mine 42",
        },
    )
    assert response.status_code == 302
    for _ in range(2):  # read again, then from the new copy: still logged in
        assert client.get(COUNT).status_code == 200


def test_only_writes_that_change_rows_renew_the_copies(login):
    reader = UserFactory()
    generation = pagecache.current_generation(backends.GENERATION_KEY)
    User.objects.filter(pk=reader.pk, username="nobody of that name").update(username="x")  # no row
    assert cache.get(backends.GENERATION_KEY) == generation
    User.objects.filter(pk=reader.pk).update(username="renamed")
    assert cache.get(backends.GENERATION_KEY) != generation


def test_what_answers_outside_the_read_ahead_draws_its_parts_at_once(rf):
    """A page made by a middleware outside ReadAheadMiddleware, in the scope opened before the session (an
    error page), has no part left as a marker."""
    from django.http import HttpResponse  # noqa: PLC0415

    from flasky_project import readahead  # noqa: PLC0415

    outside = {}

    def view(request):
        readahead._scope.get().defers = True
        assert readahead.later("key", lambda value: "part", "navbar") is not None
        return HttpResponse("page")

    def further_out(request):
        response = readahead.ReadAheadMiddleware(view)(request)
        outside["marker"] = readahead.later("key", lambda value: "part", "navbar")
        return response

    readahead.ScopeMiddleware(further_out)(rf.get("/"))
    assert outside["marker"] is None
