"""The profile page (composed here): who the user is, their talks, their posts (some tests from blog's)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from blog.tests.factories import CommentFactory, PostFactory
from social.models import Block, Mute
from social.tests.factories import FollowFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def test_profile_lists_the_users_posts_and_counts(client, author):
    mine = PostFactory.create_batch(2, author=author)
    PostFactory()
    CommentFactory(author=author)
    response = client.get("/user/author/")
    content = response.content.decode()
    assert set(response.context["page"]) == set(mine)
    assert "2 blog posts." in content and "1 comment." in content
    assert "Posts by author" in content


def test_profile_lists_the_speakers_talks_newest_first(client, author):
    now = timezone.now()
    old = TalkFactory(post__author=author, date=now - timedelta(days=100))
    upcoming = TalkFactory(post__author=author, date=now + timedelta(days=10))
    TalkFactory()
    response = client.get("/user/author/")
    assert response.context["talks"] == [upcoming, old]
    content = response.content.decode()
    assert "Talks by author" in content and f'href="/talks/{upcoming.pk}/"' in content
    assert not response.context["more_talks"]


def test_profile_links_to_all_talks_when_there_are_more(client, author):
    TalkFactory.create_batch(6, post__author=author)
    response = client.get("/user/author/")
    assert len(response.context["talks"]) == 5 and response.context["more_talks"]
    assert 'href="/talks/by/author/"' in response.content.decode()


def test_profile_without_talks_has_no_talks_section_except_for_its_owner(client, author_client):
    assert "Talks by author" not in client.get("/user/author/").content.decode()
    own = author_client.get("/user/author/").content.decode()
    assert "Talks by author" in own and 'href="/talks/new/"' in own


def test_talks_in_the_profiles_posts_show_their_details(client, author):
    TalkFactory(post__author=author, venue="Cleveland")
    content = client.get("/user/author/").content.decode()
    assert 'class="badge text-bg-info">Talk</span>' in content and "Cleveland" in content


@pytest.mark.parametrize("rows", [1, 20])
def test_profile_query_count_is_fixed(client, author, rows, settings, django_assert_num_queries):
    settings.FLASKY_PAGE_CACHE_SECONDS = (
        0  # rendered, not served whole (flasky_project/tests/test_page_cache.py)
    )
    PostFactory.create_batch(rows, author=author)
    TalkFactory.create_batch(rows, post__author=author)
    FollowFactory(followed=author)
    # the sidebar's talks coming up (talks.upcoming) and the list's total for the pager
    # (pagination.list_total), as a visit minutes ago left them in the cache
    client.get("/user/author/")
    # the user, follow counts, the page's keys and posts, their talk details, the talks, the post and
    # comment counts
    # (the pictures of the page's posts: one more query only when some post has any, none here:
    # blog.listing.listed_posts)
    with django_assert_num_queries(7):
        client.get("/user/author/")


def _relation_shown(content):
    """The follow block's block and mute buttons as drawn: which of them say Unblock / Unmute."""
    return ("Unblock" in content, "Unmute" in content, "muted until" in content)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda reader, author: None, (False, False, False)),
        (lambda reader, author: Block.objects.create(blocker=reader, blocked=author), (True, False, False)),
        (lambda reader, author: Block.objects.create(blocker=author, blocked=reader), (False, False, False)),
        (lambda reader, author: Mute.objects.create(muter=reader, muted=author), (False, True, False)),
        (
            lambda reader, author: Mute.objects.create(
                muter=reader, muted=author, until=timezone.now() + timedelta(days=1)
            ),
            (False, True, True),
        ),
        (
            lambda reader, author: Mute.objects.create(
                muter=reader, muted=author, until=timezone.now() - timedelta(days=1)
            ),
            (False, False, False),
        ),
        (
            lambda reader, author: Block.objects.create(blocker=reader, blocked=UserFactory()),
            (False, False, False),
        ),
    ],
    ids=["none", "blocking", "blocked by", "muting", "muting until", "mute ended", "blocking another"],
)
def test_the_readers_relation_to_the_profile_is_the_databases(
    login, reader, author, make, expected, settings
):
    """Told from what was read with the session's user when it names nobody this profile's owner (no query),
    else asked: the block's buttons are the same either way."""
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    PostFactory(author=author)
    make(reader, author)
    client = login(reader)
    content = client.get("/user/author/").content.decode()
    assert _relation_shown(content) == expected


def _profile_queries(client):
    client.get("/user/author/")  # (the sidebar's suggestions and talks, the list's total: cached)
    with CaptureQueriesContext(connection) as queries:
        client.get("/user/author/")
    return [query["sql"] for query in queries.captured_queries]


def test_the_relation_costs_a_query_only_when_the_facts_name_the_owner(login, reader, author, settings):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    PostFactory(author=author)
    Block.objects.create(blocker=reader, blocked=UserFactory())  # someone else: the owner is not named
    told = _profile_queries(login(reader))
    other = UserFactory()
    Mute.objects.create(muter=other, muted=author)  # the owner is named: the relation is asked
    asked = _profile_queries(login(other))
    assert [sql for sql in asked if '"muted_until"' in sql]
    assert not [sql for sql in told if '"muted_until"' in sql]
