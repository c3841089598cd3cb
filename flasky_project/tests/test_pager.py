"""Numbered pages on the lists that are never counted on a request (Windows): the first page, pages near the
current one, and the last as "about N" from a cached or estimated total; ?page=last finds it exactly."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection

from blog.models import Post
from blog.tests.factories import PostFactory
from flasky_project import pagination
from flasky_project.pagination import list_total, planner_estimate, window_numbers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "known", "shown"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (1, 20, [1, 2, 3]),
        (2, 20, [1, 2, 3, 4]),
        (4, 20, [1, 2, 3, 4, 5, 6]),
        (9, 20, [1, None, 7, 8, 9, 10, 11]),
        (20, 20, [1, None, 18, 19, 20]),
        (9, 10, [1, None, 7, 8, 9, 10]),
    ],
    ids=["only", "two", "first-of-many", "second", "fourth", "middle", "last", "near-the-end"],
)
def test_window_numbers_are_first_and_nearby_pages(number, known, shown):
    assert list(window_numbers(number, known)) == shown


def _pager(response):
    nav = re.search(r'<nav aria-label="Pages">.*?</nav>', response.content.decode(), re.DOTALL)
    return nav.group(0) if nav else None


def _labels(nav):
    labels = re.findall(r'class="page-link"[^>]*>([^<]*)<', nav)
    return [unescape(re.sub(r"\s+", " ", label).strip()) for label in labels]


def _is_count(query):
    return query["sql"].upper().startswith("SELECT COUNT(")


@pytest.fixture
def thirty_posts(settings):
    settings.FLASKY_POSTS_PER_PAGE = 2
    return PostFactory.create_batch(31)  # 16 pages, the last with one post


def test_first_page_shows_nearby_pages_and_about_the_last(client, thirty_posts):
    nav = _pager(client.get("/"))
    assert _labels(nav) == ["«", "1", "2", "3", "…", "about 16", "»"]
    assert '<li class="page-item active" aria-current="page"><span class="page-link">1</span></li>' in nav
    assert 'href="?page=last" aria-label="Last page, about 16"' in nav
    assert 'href="?page=2" rel="next" aria-label="Next page"' in nav


def test_middle_page_shows_first_nearby_and_last(client, thirty_posts):
    nav = _pager(client.get("/?page=8"))
    assert _labels(nav) == ["«", "1", "…", "6", "7", "8", "9", "10", "…", "about 16", "»"]
    assert 'aria-current="page"><span class="page-link">8</span>' in nav


def test_last_page_link_finds_the_exact_last_page(client, thirty_posts):
    response = client.get("/?page=last")
    page = response.context["page"]
    assert page.number == 16 and [post.pk for post in page] == [thirty_posts[0].pk]
    assert _labels(_pager(response)) == ["«", "1", "…", "14", "15", "16", "»"]
    assert 'href="?page=15" rel="prev"' in _pager(response)


def test_last_page_of_an_exactly_full_list(client, settings):
    settings.FLASKY_POSTS_PER_PAGE = 2
    posts = PostFactory.create_batch(4)
    page = client.get("/?page=last").context["page"]
    assert page.number == 2 and {post.pk for post in page} == {posts[0].pk, posts[1].pk}


def test_last_page_of_an_empty_list_is_the_empty_first(client):
    response = client.get("/?page=last")
    assert response.status_code == 200 and response.context["page"].number == 1
    assert _pager(response) is None


def test_one_page_shows_no_pager(client):
    PostFactory.create_batch(3)
    assert _pager(client.get("/")) is None


def test_the_total_is_counted_once_then_read_from_the_cache(client, thirty_posts, django_assert_num_queries):
    # keys, rows, the list's total, and the sidebar's talks coming up (cached after: talks.upcoming); no
    # post has pictures, so no query for them (blog.listing.listed_posts)
    with django_assert_num_queries(4) as first:
        client.get("/")
    assert sum(_is_count(query) for query in first.captured_queries) == 1
    with django_assert_num_queries(2) as second:
        client.get("/?page=3")  # another page of the same list: the same total
    assert not any(_is_count(query) for query in second.captured_queries)


def test_a_stale_total_is_still_shown_as_about(client, thirty_posts):
    client.get("/")
    PostFactory.create_batch(10)  # five pages more, not counted yet
    nav = _pager(client.get("/"))
    assert "about 16" in nav
    assert client.get("/?page=last").context["page"].number == 21  # the exact last page all the same


def test_pages_of_the_same_list_a_moment_apart_share_the_total(reader):
    # Suspensions are compared with now(): the moment must not make every request a new list.
    first = Post.objects.visible_to(reader).values_list("pk", flat=True)
    PostFactory.create_batch(3)
    assert list_total(first) == 3
    PostFactory()
    assert list_total(Post.objects.visible_to(reader).values_list("pk", flat=True)) == 3  # cached


def test_other_viewers_lists_have_their_own_totals(reader, author):
    PostFactory.create_batch(2)
    assert list_total(Post.objects.by(author).values_list("pk", flat=True)) == 0
    assert list_total(Post.objects.all().values_list("pk", flat=True)) == 2


def test_lists_bounded_by_their_own_dates_have_their_own_totals():
    # Only the moment a query was compiled is left out of the total's key: a date of the list's own names it.
    PostFactory.create_batch(2, created=datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC))
    PostFactory.create_batch(3)
    keys = Post.objects.values_list("pk", flat=True)
    since = [datetime.datetime(year, 1, 1, tzinfo=datetime.UTC) for year in (2000, 2010, 1)]
    assert [list_total(keys.filter(created__gte=moment)) for moment in since] == [5, 3, 5]
    assert [list_total(keys.filter(created__lt=moment)) for moment in since] == [0, 2, 0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_big_lists_on_postgresql_take_the_planners_estimate(monkeypatch):
    PostFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blog_post")
    keys = Post.objects.all().values_list("pk", flat=True)
    assert planner_estimate(keys) >= 1
    monkeypatch.setattr(pagination, "EXACT_COUNT_BELOW", 2)  # five posts make a big list
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 123_456)
    assert list_total(keys) == 123_456
    assert list_total(Post.objects.filter(pk=keys[0]).values_list("pk", flat=True)) == 1  # small: counted


def test_pager_speaks_spanish(client, thirty_posts):
    client.cookies["django_language"] = "es"
    nav = _pager_es(client.get("/", HTTP_ACCEPT_LANGUAGE="es"))
    assert 'aria-label="Última página, unas 16"' in nav and ">unas 16<" in nav


def _pager_es(response):
    return re.search(r'<nav aria-label="Páginas">.*?</nav>', response.content.decode(), re.DOTALL).group(0)
