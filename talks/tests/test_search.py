"""The Talks tab of the search page: title and venue, upcoming first, what the viewer may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from blog.tests.factories import CommentFactory
from social.models import Block
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def found(response):
    return [talk.pk for talk in response.context["page"].object_list]


def test_search_type_talks_leads_to_the_talks_tab(client):
    response = client.get("/search/", {"q": "flask web", "type": "talks"})
    assert response.status_code == 302
    assert response.url == "/talks/search/?q=flask+web"


def test_talks_match_title_or_venue_in_any_case(client):
    by_title = TalkFactory(post__title="Flask in production", venue="Madrid")
    by_venue = TalkFactory(post__title="Something else", venue="FLASKCon Berlin")
    TalkFactory(post__title="Django", venue="Paris")
    response = client.get("/talks/search/", {"q": "flask"})
    assert response.status_code == 200
    assert set(found(response)) == {by_title.pk, by_venue.pk}
    assert "Flask in production" in response.content.decode()


def test_every_word_must_appear_in_title_or_venue(client):
    both = TalkFactory(post__title="Flask tips", venue="PyCon Madrid")
    TalkFactory(post__title="Flask tips", venue="PyCon Berlin")
    assert found(client.get("/talks/search/", {"q": "flask MADRID"})) == [both.pk]


def test_upcoming_talks_come_first_soonest_first_then_past_most_recent_first(client):
    now = timezone.now()
    later = TalkFactory(post__title="Flask", date=now + timedelta(days=9))
    soon = TalkFactory(post__title="Flask", date=now + timedelta(days=1))
    long_ago = TalkFactory(post__title="Flask", date=now - timedelta(days=90))
    yesterday = TalkFactory(post__title="Flask", date=now - timedelta(days=1))
    expected = [soon.pk, later.pk, yesterday.pk, long_ago.pk]
    assert found(client.get("/talks/search/", {"q": "flask"})) == expected


def test_talks_the_viewer_may_not_see_are_not_found(login):
    viewer = UserFactory()
    hidden = TalkFactory(post__title="Flask")
    shown = TalkFactory(post__title="Flask")
    Block.objects.create(blocker=hidden.post.author, blocked=viewer)
    assert found(login(viewer).get("/talks/search/", {"q": "flask"})) == [shown.pk]


@pytest.mark.parametrize("query", ["", "   ", "!!! ***"])
def test_a_query_without_words_finds_nothing_and_says_what_to_type(client, query):
    TalkFactory(post__title="Flask")
    response = client.get("/talks/search/", {"q": query})
    assert response.status_code == 200
    assert found(response) == []
    assert "Type words from a talk" in response.content.decode()


def test_no_match_says_so(client):
    TalkFactory(post__title="Flask")
    response = client.get("/talks/search/", {"q": "cobol"})
    assert "No talk’s title or venue holds “cobol”." in response.content.decode()


def test_talk_search_pages_twenty_at_a_time(client):
    TalkFactory.create_batch(21, post__title="Flask")
    first = client.get("/talks/search/", {"q": "flask"})
    assert len(found(first)) == 20 and first.context["page"].has_next()
    assert len(found(client.get("/talks/search/", {"q": "flask", "page": 2}))) == 1
    assert client.get("/talks/search/", {"q": "flask", "page": 3}).status_code == 404
    assert client.get("/talks/search/", {"q": "flask", "page": "x"}).status_code == 404


def test_the_tab_bar_links_all_three_tabs(client):
    html = client.get("/talks/search/", {"q": "a b"}).content.decode()
    assert 'href="/search/?q=a%20b"' in html
    assert 'href="/search/?q=a%20b&amp;type=people"' in html
    assert 'href="/talks/search/?q=a%20b"' in html
    assert 'href="/talks/search/?q=a%20b"' in client.get("/search/", {"q": "a b"}).content.decode()


@pytest.mark.parametrize("rows", [1, 21])
def test_talk_search_query_count_is_fixed(client, login, rows, settings, django_assert_num_queries):
    settings.FLASKY_PAGE_CACHE_SECONDS = (
        0  # rendered, not served whole (flasky_project/tests/test_page_cache.py)
    )
    for _ in range(rows):
        talk = TalkFactory(post__title="Flask", date=timezone.now() + timedelta(days=1))
        CommentFactory(post=talk.post)
    # a visit minutes ago left the list's total in the cache (pagination.list_total)
    client.get("/talks/search/", {"q": "flask"})
    with django_assert_num_queries(2):  # the page's keys, then its talks with speakers and counts
        client.get("/talks/search/", {"q": "flask"})
    logged_in = login(UserFactory())
    logged_in.get("/talks/search/", {"q": "flask"})  # the list's total for this viewer, cached
    with django_assert_num_queries(2):  # the same (the session's user is its copy kept in the cache)
        logged_in.get("/talks/search/", {"q": "flask"})
