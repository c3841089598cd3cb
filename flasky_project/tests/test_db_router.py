"""The read-replica router: where each read and write goes, and what happens when a replica is down.

The replica here is a second connection to the test database (TEST MIRROR, see conftest.py), so the
tests are transactional: what one connection commits, the other sees, as on a streaming replica without lag.
deploy/smoke/ runs the same against a real PostgreSQL streaming replica.
"""

import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from blog.tests.factories import PostFactory
from flasky_project import db_router

REPLICA = "replica_0"
replica_db = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_ROUTERS = ["flasky_project.db_router.ReplicaRouter"]
    db_router._down_until.clear()
    yield
    db_router._down_until.clear()


class Queries:
    """The queries each database received inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]).__enter__()
        self.replica = CaptureQueriesContext(connections[REPLICA]).__enter__()
        return self

    def __exit__(self, *exc_info):
        self.replica.__exit__(*exc_info)
        self.primary.__exit__(*exc_info)

    @staticmethod
    def reads(captured):
        return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


@replica_db
def test_a_page_reads_from_the_replica(replicas, client, author):
    PostFactory(author=author, body="Read from a replica")
    with Queries() as queries:
        response = client.get("/")
    assert response.status_code == 200 and "Read from a replica" in response.content.decode()
    assert queries.reads(queries.replica) and not queries.primary.captured_queries
    assert db_router.PRIMARY_COOKIE not in response.cookies


@replica_db
def test_api_lists_read_from_the_replica(replicas, author_client, author):
    PostFactory(author=author)
    with Queries() as queries:
        response = author_client.get("/api/v1/posts/", headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["count"] == 1
    assert queries.reads(queries.replica)
    assert not queries.reads(queries.primary)


@replica_db
def test_a_post_writes_and_reads_on_the_primary_and_pins_the_writer_there(replicas, author_client):
    with Queries() as queries:
        response = author_client.post("/", {"title": "", "body": "My own post", "submit": ""})
    assert response.status_code == 302
    assert Post.objects.using(DEFAULT_DB_ALIAS).get().body == "My own post"
    assert not queries.replica.captured_queries
    cookie = response.cookies[db_router.PRIMARY_COOKIE]
    assert cookie["max-age"] == settings.FLASKY_READ_YOUR_WRITES_SECONDS and cookie["httponly"]

    # Read-your-writes: the next page of this browser comes from the primary.
    with Queries() as queries:
        page = author_client.get("/").content.decode()
    assert "My own post" in page
    assert queries.reads(queries.primary) and not queries.replica.captured_queries

    # Once the cookie has expired, the browser's reads go to the replica again.
    del author_client.cookies[db_router.PRIMARY_COOKIE]
    with Queries() as queries:
        author_client.get("/")
    assert queries.reads(queries.replica)


@replica_db
def test_a_get_that_writes_reads_from_the_primary_afterwards_and_pins_the_user(
    replicas, author_client, author
):
    long_ago = timezone.now() - timedelta(hours=1)
    User.objects.filter(pk=author.pk).update(
        last_seen=long_ago
    )  # the next request records last_seen: a write
    response = author_client.get("/")
    assert response.status_code == 200
    assert db_router.PRIMARY_COOKIE in response.cookies
    assert User.objects.get(pk=author.pk).last_seen > long_ago


def route_inside_a_request(method, read):
    """Which alias the router picks for ``read()`` inside a request with this method."""
    chosen = []

    def view(request):
        chosen.append(read())
        return HttpResponse()

    db_router.ReplicaRoutingMiddleware(view)(getattr(RequestFactory(), method.lower())("/"))
    return chosen[0]


@replica_db
def test_reads_in_a_transaction_go_to_the_primary(replicas):
    def read_in_transaction():
        with transaction.atomic():
            return router.db_for_read(Post)

    assert route_inside_a_request("GET", lambda: router.db_for_read(Post)) == REPLICA
    assert route_inside_a_request("GET", read_in_transaction) == DEFAULT_DB_ALIAS
    assert route_inside_a_request("POST", lambda: router.db_for_read(Post)) == DEFAULT_DB_ALIAS


@replica_db
def test_outside_requests_everything_goes_to_the_primary(replicas):
    # Workers, management commands, the shell: they write, and must read what they wrote.
    assert router.db_for_read(Post) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Post) == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_only(replicas):
    assert router.allow_migrate(REPLICA, "blog", model_name="post") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "blog", model_name="post") is True


@replica_db
def test_a_replica_that_is_down_is_skipped_with_a_log_line_not_an_error(
    replicas, client, author, monkeypatch, caplog
):
    PostFactory(author=author, body="Still here")
    attempts = []

    def refuse():
        attempts.append(1)
        raise OperationalError("connection refused")

    with caplog.at_level(logging.WARNING, logger="flasky.db"), Queries() as queries:
        connections[REPLICA].close()
        monkeypatch.setattr(connections[REPLICA], "ensure_connection", refuse)
        first = client.get("/")
        second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert "Still here" in second.content.decode()
    assert queries.reads(queries.primary) and not queries.replica.captured_queries
    # One attempt, one warning; then the replica is left alone for FLASKY_REPLICA_RETRY_SECONDS.
    assert len(attempts) == 1
    (record,) = [r for r in caplog.records if r.name == "flasky.db"]
    assert "replica_0 is unreachable" in record.getMessage()

    monkeypatch.undo()
    db_router._down_until.clear()  # the retry time has passed
    with Queries() as queries:
        client.get("/")
    assert queries.reads(queries.replica)


def settings_with(**environment):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASE_REPLICAS, s.DATABASE_ROUTERS, s.DATABASES['replica_1']['TEST']['MIRROR'], "
        "s.DATABASES['replica_1']['HOST'])"
    )
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "flasky_project.settings", **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_database_replica_urls_add_replicas_and_the_router():
    result = settings_with(
        DATABASE_URL="postgres://u@db1:5432/flasky",
        DATABASE_REPLICA_URLS="postgres://u@db2:5432/flasky,postgres://u@db3:5432/flasky",
    )
    assert result.stdout.strip() == (
        "['replica_0', 'replica_1'] ['flasky_project.db_router.ReplicaRouter'] default db3"
    ), result.stderr


def test_a_replica_of_another_kind_is_refused():
    result = settings_with(
        DATABASE_URL="postgres://u@db1:5432/flasky", DATABASE_REPLICA_URLS="sqlite:///x.db"
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS must name databases of the same kind" in result.stderr
