"""The list of every post is kept as a page for the callers who see what a visitor sees (api.shared_pages):
served byte for byte as it would be written, with each caller's own likes and bookmarks, never to a caller
who sees other posts (blocks, mutes, a withheld post of theirs, a moderator), and every change a caller
could see shows on the next request."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from api import post_cache, shared_pages
from api.tests.helpers import api_headers
from api.tokens import make_token
from blog import services
from blog.models import Bookmark, Like, Moderation, Post
from blog.tests.factories import BookmarkFactory, CommentFactory, LikeFactory, PostFactory
from blog.tests.factories import stored_picture as picture
from moderation.services import suspend
from social import services as social
from talks.services import edit_talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture(autouse=True)
def _kept(settings):
    # One process here, so its local cache is shared by every request (production needs REDIS_URL for it).
    settings.FLASKY_PAGE_CACHE_SECONDS = 60
    settings.API_TOKEN_ACCOUNT_SECONDS = 300
    post_cache._keys_queries.clear()
    yield
    post_cache._keys_queries.clear()


@pytest.fixture
def kept_pages(monkeypatch):
    """The number of posts of each page served from a kept entry (only such a page asks for the caller's
    kept marks: a written page has them from its rows)."""
    served = []
    kept_marks = shared_pages._kept_marks

    def counting(user, key, parts, found, seconds):
        served.append(len(parts))
        return kept_marks(user, key, parts, found, seconds)

    monkeypatch.setattr(shared_pages, "_kept_marks", counting)
    return served


def get(client, user, path=POSTS, **headers):
    response = client.get(path, headers={**api_headers(make_token(user)), **headers})
    assert response.status_code == 200, response.content[:300]
    return response


def urls(client, user, path=POSTS):
    return [item["url"] for item in get(client, user, path).json()["posts"]]


def only(client, user, post):
    (item,) = [
        item for item in get(client, user).json()["posts"] if item["url"] == f"/api/v1/posts/{post.pk}"
    ]
    return item


def url(post):
    return f"/api/v1/posts/{post.pk}"


def test_a_kept_page_is_byte_for_byte_the_written_one_with_each_caller_s_marks(
    client, reader, author, settings
):
    PostFactory.create_batch(settings.FLASKY_POSTS_PER_PAGE)  # (two pages: prev, next and count)
    plain, talk = PostFactory(title="Plain"), TalkFactory(venue="Lisbon").post
    picture(PostFactory(body="With a picture and ünïcödé"))
    LikeFactory(user=reader, post=plain)
    BookmarkFactory(user=reader, post=talk)
    LikeFactory(user=author, post=talk)
    for page in (POSTS, f"{POSTS}?page=2"):
        written = [get(client, user, page) for user in (reader, author)]
        kept = [get(client, user, page) for user in (author, reader)][::-1]
        settings.FLASKY_PAGE_CACHE_SECONDS = 0
        fresh = [get(client, user, page) for user in (reader, author)]
        settings.FLASKY_PAGE_CACHE_SECONDS = 60
        for each in zip(written, kept, fresh, strict=True):
            assert each[0].content == each[1].content == each[2].content
            assert [dict(r.headers) | {"X-Request-ID": ""} for r in each[1:]] == [
                dict(each[2].headers) | {"X-Request-ID": ""}
            ] * 2
    mine, theirs = (get(client, user).json()["posts"] for user in (reader, author))
    marks = {item["url"]: (item["liked"], item["bookmarked"]) for item in mine}
    assert marks[url(plain)] == (True, False) and marks[url(talk)] == (False, True)
    marks = {item["url"]: (item["liked"], item["bookmarked"]) for item in theirs}
    assert marks[url(plain)] == (False, False) and marks[url(talk)] == (True, False)


def test_a_kept_page_costs_no_query_and_serializes_nothing(client, reader, author, serialized, kept_pages):
    PostFactory.create_batch(3)
    headers = api_headers(make_token(author))
    get(client, reader)
    assert len(serialized) == 3 and kept_pages == []
    with CaptureQueriesContext(connection) as queries:
        assert client.get(POSTS, headers=headers).status_code == 200  # (another caller of the same shape)
    assert [query["sql"] for query in queries if "blog_bookmark" in query["sql"]]  # (their marks, read once)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(POSTS, headers=headers).status_code == 200
    assert len(queries) == 0
    assert len(serialized) == 3 and kept_pages == [3, 3]


def test_likes_and_bookmarks_made_any_way_show_on_the_next_request(client, reader):
    post = PostFactory()
    get(client, reader)
    assert only(client, reader, post)["bookmarked"] is False  # (page and marks kept)
    Bookmark.objects.bulk_create([Bookmark(user=reader, post=post)])  # (no signal: the write is seen)
    assert only(client, reader, post)["bookmarked"] is True
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Bookmark._meta.db_table}")  # noqa: S608 - a constant
    assert only(client, reader, post)["bookmarked"] is False
    Like.objects.bulk_create([Like(user=reader, post=post)])
    assert only(client, reader, post)["liked"] is True
    Like.objects.filter(user=reader).delete()
    assert only(client, reader, post)["liked"] is False


def test_indented_json_is_still_indented(client, reader):
    PostFactory()
    plain = get(client, reader).json()
    indented = get(client, reader, Accept="application/json; indent=4")
    assert b'\n    "posts": [' in indented.content and indented.json() == plain


def written_now(client, user, settings):
    """The page as it is written with nothing kept."""
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    try:
        return get(client, user).content
    finally:
        settings.FLASKY_PAGE_CACHE_SECONDS = 60


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        pytest.param(lambda post, other: services.edit_post(post, body="after **edit**"), True, id="edit"),
        pytest.param(lambda post, other: services.delete_post(post), True, id="delete"),
        pytest.param(lambda post, other: PostFactory(body="A new post"), True, id="new post"),
        pytest.param(lambda post, other: CommentFactory(post=post), True, id="comment"),
        pytest.param(lambda post, other: services.like(user=other, post=post), True, id="someone's like"),
        pytest.param(
            lambda post, other: Post.objects.filter(pk=post.pk).update(moderation=Moderation.HIDDEN),
            True,
            id="moderation hide",
        ),
        pytest.param(lambda post, other: picture(post), True, id="new picture"),
        # (A post's JSON names its author by URL only: a new name or avatar leaves its bytes as they were,
        # and the page is written again all the same.)
        pytest.param(
            lambda post, other: type(other).objects.filter(pk=post.author_id).update(username="renamed"),
            False,
            id="author renamed",
        ),
        pytest.param(
            lambda post, other: (
                type(other).objects.filter(pk=post.author_id).update(avatar="avatars/new.webp")
            ),
            False,
            id="new avatar",
        ),
    ],
)
def test_every_change_shows_on_the_next_request(client, reader, author, settings, kept_pages, change, shown):
    post = PostFactory(author=author, body="before")
    PostFactory()
    get(client, reader)
    kept = get(client, reader).content
    assert kept_pages == [2]
    change(post, UserFactory())
    after = get(client, reader).content
    assert kept_pages == [2]  # (written again: the generation changed)
    assert after == written_now(client, reader, settings)
    assert (after != kept) is shown


def test_the_caller_s_own_likes_and_bookmarks_show_on_the_next_request(client, reader):
    post = PostFactory()
    get(client, reader)
    assert (only(client, reader, post)["liked"], only(client, reader, post)["bookmarked"]) == (False, False)
    services.bookmark(user=reader, post=post)  # (bookmarks are no table the generation watches)
    assert only(client, reader, post)["bookmarked"] is True
    services.like(user=reader, post=post)
    assert only(client, reader, post)["liked"] is True
    services.unbookmark(user=reader, post=post)
    services.unlike(user=reader, post=post)
    assert (only(client, reader, post)["liked"], only(client, reader, post)["bookmarked"]) == (False, False)


def test_a_talk_s_new_venue_shows_on_the_next_request(client, reader):
    talk = TalkFactory(venue="Lisbon")
    assert only(client, reader, talk.post)["talk"]["venue"] == "Lisbon"
    edit_talk(talk, title=talk.post.title, body=talk.post.body, venue="Porto")
    assert only(client, reader, talk.post)["talk"]["venue"] == "Porto"


def test_never_shared_with_a_caller_who_blocks_or_mutes(client, reader, author):
    theirs, other = PostFactory(author=author), PostFactory()
    blocker, muter, blocked = UserFactory(), UserFactory(), UserFactory()
    social.block(blocker=blocker, blocked=author)
    social.mute(muter=muter, muted=author)
    social.block(blocker=author, blocked=blocked)  # (the blocked side does not see them either)
    assert set(urls(client, reader)) == {url(theirs), url(other)}  # (the page is kept from here)
    for user in (blocker, muter, blocked):
        assert urls(client, user) == [url(other)]
    assert set(urls(client, reader)) == {url(theirs), url(other)}


def test_a_block_or_mute_by_the_caller_shows_on_the_next_request(client, reader, author):
    theirs, other = PostFactory(author=author), PostFactory()
    assert set(urls(client, reader)) == {url(theirs), url(other)}
    social.block(blocker=reader, blocked=author)
    assert urls(client, reader) == [url(other)]
    social.unblock(blocker=reader, blocked=author)
    assert set(urls(client, reader)) == {url(theirs), url(other)}
    social.mute(muter=reader, muted=author)
    assert urls(client, reader) == [url(other)]


def test_never_shared_with_a_moderator_or_the_author_of_a_withheld_post(client, reader, author, moderator):
    shown = PostFactory()
    held = PostFactory(author=author, moderation=Moderation.HELD)
    assert urls(client, reader) == [url(shown)]
    assert set(urls(client, moderator)) == {url(shown), url(held)}
    assert set(urls(client, author)) == {url(shown), url(held)}
    assert urls(client, reader) == [url(shown)]


def test_the_key_holds_the_language_host_and_address(rf, settings):
    settings.ALLOWED_HOSTS = ["testserver", "example.com"]
    keys = {
        shared_pages.page_key(request)
        for request in (
            rf.get(POSTS),
            rf.get(POSTS + "?page=2"),
            rf.get(POSTS, HTTP_HOST="example.com"),
            rf.get(POSTS, secure=True),
        )
    }
    assert len(keys) == 4
    with translation.override("es"):
        assert shared_pages.page_key(rf.get(POSTS)) not in keys


def test_a_session_s_caller_gets_the_kept_page_too(client, reader, login, kept_pages):
    PostFactory()
    get(client, reader)
    response = login(reader).get(POSTS)
    assert response.status_code == 200 and response.content == get(client, reader).content
    assert kept_pages == [1, 1]  # (the session's request, then the token's)


def test_a_new_count_is_never_shown_from_an_older_page(client, reader, settings):
    PostFactory.create_batch(settings.FLASKY_POSTS_PER_PAGE + 1)
    assert get(client, reader).json()["count"] == settings.FLASKY_POSTS_PER_PAGE + 1
    cache.set("counts:posts", (500, 1e12), 60)  # (what another process's recount would leave)
    assert get(client, reader).json()["count"] == 500


def test_a_kept_page_never_hides_the_items_that_exist(client, reader, settings):
    PostFactory.create_batch(settings.FLASKY_POSTS_PER_PAGE)
    get(client, reader)  # (the count is cached from here on, for a minute)
    PostFactory()
    page = get(client, reader).json()
    assert page["next"] == f"{POSTS}?page=2" and page["count"] == settings.FLASKY_POSTS_PER_PAGE + 1


def test_kept_pages_are_still_rate_limited_and_authenticated(client, reader, unconfirmed, settings):
    PostFactory()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/minute"},
    }
    for _ in range(3):
        get(client, reader)
    assert client.get(POSTS, headers=api_headers(make_token(reader))).status_code == 429
    assert client.get(POSTS, headers=api_headers(make_token(reader) + "x")).status_code == 401
    assert client.get(POSTS).status_code == 401
    assert client.get(POSTS, headers=api_headers(make_token(unconfirmed))).status_code == 403


def test_off_when_pages_are_not_kept(client, reader, settings, kept_pages):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    PostFactory()
    get(client, reader)
    get(client, reader)
    assert kept_pages == []  # (each written for the request)


def test_a_suspension_that_ends_shows_on_the_next_request(client, reader, author, moderator, monkeypatch):
    post, other = PostFactory(author=author), PostFactory()
    suspend(author, by=moderator, days=1)
    assert urls(client, reader) == [url(other)]
    assert urls(client, reader) == [url(other)]  # (kept)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert set(urls(client, reader)) == {url(post), url(other)}


def test_the_end_of_the_earliest_suspension_in_force(author, reader, moderator):
    assert shared_pages._suspensions_end() is None
    suspend(author, by=moderator, days=3)
    suspend(reader, by=moderator, days=1)
    reader.refresh_from_db()
    assert shared_pages._suspensions_end() == reader.suspended_until
    type(reader).objects.filter(pk=reader.pk).update(suspended_until=timezone.now() - timedelta(minutes=1))
    author.refresh_from_db()
    assert shared_pages._suspensions_end() == author.suspended_until
