"""A page of posts is read with SQL compiled once (api.post_cache) and written from each post's cached JSON
text (api.renderers): the bytes are DRF's for the same data, each caller gets their own likes, bookmarks and
pictures, and the compiled SQL answers as a query compiled for the request would."""

import pytest
from django.db import connection
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from accounts.tests.factories import UserFactory
from api import post_cache
from api.serializers import PostSerializer
from api.tests.helpers import api_headers
from api.tests.test_post_cache import picture
from api.tokens import make_token
from blog.models import Post
from blog.tests.factories import BookmarkFactory, CommentFactory, LikeFactory, PostFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def get(client, user, path="/api/v1/posts/", **headers):
    response = client.get(path, headers={**api_headers(make_token(user)), **headers})
    assert response.status_code == 200, response.content[:300]
    return response


def expected_page(rf, user, posts, *, prev=None, next=None, count):  # noqa: A002 - Flasky's key
    request = rf.get("/api/v1/posts/")
    request.user = user
    return {
        "posts": [PostSerializer(post, context={"request": request}).data for post in posts],
        "prev": prev,
        "next": next,
        "count": count,
    }


@pytest.fixture
def varied(reader):
    """Posts of every shape: a talk, pictures, text that JSON escapes, the reader's like and bookmark."""
    plain = PostFactory(title="Plain", body='Quotes " and \\ backslashes, a\u2028line separator, ünïcödé 🎉')
    talk = TalkFactory(venue="Lisbon").post
    with_pictures = PostFactory(body="Two pictures")
    picture(with_pictures, alt="First")
    picture(with_pictures, alt="Second <b>")
    LikeFactory(user=reader, post=plain)
    BookmarkFactory(user=reader, post=talk)
    CommentFactory(post=plain)
    return [plain, talk, with_pictures]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "cached"])
def test_the_page_s_bytes_are_drf_s(rf, client, reader, varied, warm):
    if warm:
        get(client, reader)
    response = get(client, reader)
    expected = expected_page(rf, reader, Post.objects.for_list(), count=3)
    assert response.content == DRFJSONRenderer().render(expected)
    assert response["Content-Type"] == "application/json"
    assert "\u2028" not in response.content.decode()  # escaped, as DRF escapes it


def test_indented_json_is_drf_s(rf, client, reader, varied):
    get(client, reader)
    response = get(client, reader, Accept="application/json; indent=4")
    expected = expected_page(rf, reader, Post.objects.for_list(), count=3)
    assert response.content == DRFJSONRenderer().render(expected, "application/json; indent=4")
    assert b'\n    "posts": [' in response.content


def test_the_second_page_s_bytes_are_drf_s(rf, client, reader, settings):
    settings.FLASKY_POSTS_PER_PAGE = 2
    PostFactory.create_batch(5)
    get(client, reader, "/api/v1/posts/?page=2")
    response = get(client, reader, "/api/v1/posts/?page=2")
    posts = list(Post.objects.for_list())[2:4]
    expected = expected_page(
        rf, reader, posts, prev="/api/v1/posts/?page=1", next="/api/v1/posts/?page=3", count=5
    )
    assert response.content == DRFJSONRenderer().render(expected)


def test_each_caller_gets_their_own_likes_and_bookmarks(client, reader, varied):
    other = UserFactory(confirmed=True)
    plain, talk, _pictures = varied
    LikeFactory(user=other, post=talk)
    for _ in range(2):  # cold, then from the cache, in turns
        mine = {p["url"]: p for p in get(client, reader).json()["posts"]}
        theirs = {p["url"]: p for p in get(client, other).json()["posts"]}
        assert (mine[f"/api/v1/posts/{plain.pk}"]["liked"], theirs[f"/api/v1/posts/{plain.pk}"]["liked"]) == (
            True,
            False,
        )
        assert (mine[f"/api/v1/posts/{talk.pk}"]["liked"], theirs[f"/api/v1/posts/{talk.pk}"]["liked"]) == (
            False,
            True,
        )
        assert mine[f"/api/v1/posts/{talk.pk}"]["bookmarked"] is True
        assert theirs[f"/api/v1/posts/{talk.pk}"]["bookmarked"] is False


def test_the_cached_entries_hold_nothing_of_a_caller(client, reader, varied):
    get(client, reader)
    for post in varied:
        row = post_cache._rows([post.pk], reader)[0]
        entry = post_cache.cache.get(row.cache_key())
        assert isinstance(entry, str)
        assert all(f'"{key}"' not in entry for key in post_cache.PER_REQUEST)


@pytest.mark.parametrize("size", [1, 2, 20], ids=["one", "two", "twenty"])
def test_the_rows_query_is_compiled_once_per_size(size):
    assert post_cache._rows_query(connection.alias, size).prepared


def test_the_compiled_query_reads_what_a_query_of_the_request_reads(reader, varied, monkeypatch):
    keys = [post.pk for post in varied]
    query = post_cache._rows_query(connection.alias, len(keys))
    prepared = {row.pk: (row.values, row.cache_key()) for row in query.run(keys, reader)}
    monkeypatch.setattr(query, "prepared", False)
    compiled = {row.pk: (row.values, row.cache_key()) for row in query.run(keys, reader)}
    assert prepared == compiled
    assert sorted(prepared) == sorted(keys)


def test_a_page_is_the_same_without_the_prepared_sql(client, reader, varied, monkeypatch):
    prepared = get(client, reader).content
    monkeypatch.setattr(post_cache._RowsQuery, "prepared", False, raising=False)
    for query in post_cache._queries.values():
        monkeypatch.setattr(query, "prepared", False)
    assert get(client, reader).content == prepared
