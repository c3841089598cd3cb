"""The profile page (composed here): who the user is, their talks, their posts (some tests from blog's)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.tests.factories import CommentFactory, PostFactory
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
