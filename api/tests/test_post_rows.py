"""A page of posts is read with SQL compiled once (api.post_cache) and written from each post's cached JSON
text (api.renderers): the bytes are DRF's for the same data, each caller gets their own likes, bookmarks and
pictures, and the compiled SQL answers as a query compiled for the request would."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from accounts.models import Role
from accounts.tests.factories import UserFactory
from api import post_cache
from api.serializers import PostSerializer
from api.tests.helpers import api_headers
from api.tokens import make_token, user_for_token
from blog import models as blog_models
from blog.models import Moderation, Post, ViewerFacts
from blog.tests.factories import BookmarkFactory, CommentFactory, LikeFactory, PostFactory
from blog.tests.factories import stored_picture as picture
from moderation.services import suspend
from social.tests.factories import BlockFactory, MuteFactory
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


def unsigned(content):
    """The JSON ``content`` with its pictures' addresses cut before their query: on S3
    (MEDIA_STORAGE=s3) each address is signed with an expiry counted from when it was written, so two
    writes a second apart differ."""
    return re.sub(rb'(\.webp)\?[^"]*', rb"\1", content)


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
    assert unsigned(response.content) == unsigned(DRFJSONRenderer().render(expected))
    assert response["Content-Type"] == "application/json"
    assert "\u2028" not in response.content.decode()  # escaped, as DRF escapes it


def test_indented_json_is_drf_s(rf, client, reader, varied):
    get(client, reader)
    response = get(client, reader, Accept="application/json; indent=4")
    expected = expected_page(rf, reader, Post.objects.for_list(), count=3)
    assert unsigned(response.content) == unsigned(
        DRFJSONRenderer().render(expected, "application/json; indent=4")
    )
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
    assert unsigned(response.content) == unsigned(DRFJSONRenderer().render(expected))


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

    def rows():
        read = [post_cache._Row(query, values) for values in query.run(keys, reader)]
        return {row.pk: (row.values, row.cache_key()) for row in read}

    prepared = rows()
    monkeypatch.setattr(query, "prepared", False)
    compiled = rows()
    assert prepared == compiled
    assert sorted(prepared) == sorted(keys)


def test_a_page_is_the_same_without_the_prepared_sql(client, reader, varied, monkeypatch):
    prepared = get(client, reader).content
    for query in post_cache._queries.values():
        monkeypatch.setattr(query, "prepared", False)
    assert get(client, reader).content == prepared


@pytest.fixture(autouse=True)
def _no_kept_keys_queries():
    post_cache._keys_queries.clear()
    yield
    post_cache._keys_queries.clear()


def urls(client, user, path="/api/v1/posts/"):
    return [post["url"] for post in get(client, user, path).json()["posts"]]


def url(post):
    return f"/api/v1/posts/{post.pk}"


def callers():
    """Callers whom the rule treats each differently, and the posts it shows or hides from them."""
    reader, moderator = UserFactory(confirmed=True), UserFactory(confirmed=True, role=Role.MODERATOR)
    blocked, blocker, muted, once_muted = UserFactory.create_batch(4)
    suspended = UserFactory(suspended_until=timezone.now() + timedelta(days=3))
    BlockFactory(blocker=reader, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=reader)
    MuteFactory(muter=reader, muted=muted)
    MuteFactory(muter=reader, muted=once_muted, until=timezone.now() - timedelta(hours=1))
    for author in (blocked, blocker, muted, once_muted, suspended, reader):
        PostFactory(author=author)
    PostFactory(moderation=Moderation.HIDDEN)
    PostFactory(author=reader, moderation=Moderation.HELD)
    PostFactory.create_batch(2)
    return [reader, moderator, blocked]


@pytest.mark.parametrize("facts", [False, True], ids=["subqueries", "facts"])
def test_the_kept_sql_is_the_sql_of_the_request(client, settings, facts):
    """For a caller without facts (the rule's subqueries) and with them (a token's account, as kept by
    api.tokens): the kept SQL is the SQL compiled for the request, and lists what the rule lets them see."""
    settings.API_TOKEN_ACCOUNT_SECONDS = 300  # one process: its local cache is shared (production: Redis)
    for caller in callers():
        if facts:
            caller = user_for_token(make_token(caller))
            assert caller.visibility_facts is not None
        expected = list(Post.objects.visible_to(caller).newest_first().values_list("pk", flat=True))
        assert [int(u.rsplit("/", 1)[1]) for u in urls(client, caller)] == expected
        kept = post_cache._keys_query("posts", Post.objects.all(), caller)
        assert kept.prepared
        fresh = post_cache._KeysQuery(
            lambda c=caller: Post.objects.visible_to(c).newest_first().values_list("pk", flat=True),
            "default",
            0,
        )
        assert (kept.sql, kept.sources) == (fresh.sql, fresh.sources)
        assert ("social_block" in kept.sql) is not facts  # (the facts name the ids)
        assert kept.keys(100, 0) == expected
    # With facts, the SQL the requests kept (a token's account carries them) is the one compared here;
    # without, the requests kept their own (with facts) beside the three compared.
    assert len(post_cache._keys_queries) == (3 if facts else 6)


def test_a_caller_whose_facts_change_gets_new_sql_at_once(reader, author):
    """The kept SQL names the caller's facts: other facts (a new block) are another state, never the SQL
    kept for the facts of before."""
    post = PostFactory(author=author)
    posts = Post.objects.all()
    reader.visibility_facts = ViewerFacts([], False, False)
    assert list(post_cache._keys_query("posts", posts, reader).keys(10, 0)) == [post.pk]
    reader.visibility_facts = ViewerFacts([author.pk], False, False)
    assert list(post_cache._keys_query("posts", posts, reader).keys(10, 0)) == []
    reader.visibility_facts = ViewerFacts([], False, False)
    assert list(post_cache._keys_query("posts", posts, reader).keys(10, 0)) == [post.pk]
    assert len(post_cache._keys_queries) == 2


def test_the_rule_is_built_once_per_caller(client, reader, monkeypatch):
    built = []
    rule = blog_models.post_visibility
    monkeypatch.setattr(blog_models, "post_visibility", lambda *a, **k: built.append(1) or rule(*a, **k))
    PostFactory.create_batch(2)
    urls(client, reader)
    urls(client, reader)
    assert len(built) == 1


def test_a_new_block_shows_on_the_next_request(client, reader, author):
    post = PostFactory(author=author)
    assert url(post) in urls(client, reader)
    BlockFactory(blocker=reader, blocked=author)
    assert url(post) not in urls(client, reader)


def test_a_suspension_ends_with_time(client, reader, author, moderator, monkeypatch):
    post = PostFactory(author=author)
    suspend(author, by=moderator, days=1)
    assert url(post) not in urls(client, reader)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert url(post) in urls(client, reader)
    assert len(post_cache._keys_queries) == 1  # (the same SQL, run with the request's moment)


def test_a_new_role_gets_its_own_sql(client, reader):
    hidden = PostFactory(moderation=Moderation.HIDDEN)
    assert url(hidden) not in urls(client, reader)
    reader.role = Role.MODERATOR
    reader.save()
    assert url(hidden) in urls(client, reader)


def test_pages_past_the_end_are_404_with_the_kept_sql(client, reader, settings):
    settings.FLASKY_POSTS_PER_PAGE = 2
    posts = PostFactory.create_batch(3)
    assert urls(client, reader, "/api/v1/posts/?page=2") == [url(posts[0])]
    headers = api_headers(make_token(reader))
    for page in ("3", "0", "abc", "last"):
        assert client.get(f"/api/v1/posts/?page={page}", headers=headers).status_code == 404
    assert client.get("/api/v1/posts/", headers=headers).json()["next"] == "/api/v1/posts/?page=2"


def test_an_empty_list_is_an_empty_page(client, reader):
    assert get(client, reader).json() == {"posts": [], "prev": None, "next": None, "count": 0}


def test_a_session_s_caller_gets_the_kept_sql_too(reader_client, reader):
    post = PostFactory()
    for _ in range(2):
        response = reader_client.get("/api/v1/posts/")
        assert response.status_code == 200
        assert [item["url"] for item in response.json()["posts"]] == [url(post)]
    assert len(post_cache._keys_queries) == 1


def test_a_session_s_kept_sql_sees_blocks_mutes_and_held_posts_at_once(reader_client, reader):
    """A session's user carries its blocks and mutes as literal ids (blog.models.ViewerFacts): the SQL kept
    for a minute is kept for those facts only, and never leaves out the reader's own held posts."""
    blocked, muted, other = PostFactory(), PostFactory(), PostFactory()
    own = PostFactory(author=reader)

    def listed():
        response = reader_client.get("/api/v1/posts/")
        assert response.status_code == 200
        return {item["url"] for item in response.json()["posts"]}

    assert listed() == {url(blocked), url(muted), url(other), url(own)}
    BlockFactory(blocker=reader, blocked=blocked.author)
    MuteFactory(muter=reader, muted=muted.author)
    assert listed() == {url(other), url(own)}
    Post.objects.filter(pk=own.pk).update(moderation=Moderation.HELD)  # its author still sees it
    Post.objects.filter(pk=other.pk).update(moderation=Moderation.HIDDEN)
    assert listed() == {url(own)}
    # The SQL names the facts (the simpler rule): one kept SQL for each state of them (none, then the
    # block and the mute, then a held post of the reader's, which adds "or written by me").
    assert len(post_cache._keys_queries) == 3


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "cached"])
def test_a_post_s_bytes_are_drf_s(rf, client, reader, varied, warm):
    request = rf.get("/")
    request.user = reader
    for post in Post.objects.for_list().filter(pk__in=[post.pk for post in varied]):
        if warm:
            get(client, reader, url(post))
        response = get(client, reader, url(post))
        expected = PostSerializer(post, context={"request": request}).data
        assert unsigned(response.content) == unsigned(DRFJSONRenderer().render(expected))
        indented = get(client, reader, url(post), Accept="application/json; indent=2")
        assert unsigned(indented.content) == unsigned(
            DRFJSONRenderer().render(expected, "application/json; indent=2")
        )


def test_a_post_s_likes_are_the_caller_s(client, reader, author):
    post = PostFactory()
    LikeFactory(user=reader, post=post)
    for _ in range(2):
        assert get(client, reader, url(post)).json()["liked"] is True
        assert get(client, author, url(post)).json()["liked"] is False


def test_a_post_the_caller_may_not_see_is_a_404(client, reader, author):
    hidden = PostFactory(moderation=Moderation.HIDDEN)
    blocked = PostFactory(author=author)
    BlockFactory(blocker=reader, blocked=author)
    headers = api_headers(make_token(reader))
    for pk in (hidden.pk, blocked.pk, 999999):
        response = client.get(f"/api/v1/posts/{pk}", headers=headers)
        assert response.status_code == 404
        assert response.json()["message"] == f"There is no post {pk}."


def test_a_post_costs_two_queries(client, reader, django_assert_num_queries, settings):
    settings.API_TOKEN_ACCOUNT_SECONDS = 300  # one process: its local cache is shared (production: Redis)
    post = PostFactory()
    headers = api_headers(make_token(reader))
    client.get(url(post), headers=headers)
    # its key through the visibility rule, its row (the caller's account and the rate limits: the cache)
    with django_assert_num_queries(2):
        assert client.get(url(post), headers=headers).status_code == 200
