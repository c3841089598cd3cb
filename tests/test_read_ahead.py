"""A logged-in page reads its per-reader cache keys ahead, in one round trip (flasky_project.readahead), and
what is written during the request or between requests is still seen."""

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse, HttpResponseRedirect
from redis.connection import AbstractConnection

from accounts.notifications import page_generation_key
from accounts.tests.factories import UserFactory
from blog import services as blog
from blog.models import Post
from blog.suggestions import who_to_follow_key
from blog.tests.factories import CommentFactory, PostFactory
from flasky_project import fragments, readahead
from moderation.models import Sanction, SanctionKind
from moderation.services import notice_key
from social import services as social
from talks.services import pending_count_keys
from talks.upcoming import upcoming_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_trips(monkeypatch):
    """The cache's round trips, each as the list of keys it read (a write: []): with Redis (CI), every
    command sent; with the tests' local cache, each get, multi-get and write that reaches its store."""
    trips = []
    if not isinstance(caches["default"], LocMemCache):
        send = AbstractConnection.send_packed_command

        def sent(connection, command, check_health=True):
            parts = command if isinstance(command, list) else [command]
            words = b"".join(bytes(part) for part in parts).split(b"\r\n")[2::2]
            is_read = words[0] in (b"GET", b"MGET")
            trips.append([word.decode().split(":", 2)[-1] for word in words[1:]] if is_read else [])
            return send(connection, command, check_health)

        monkeypatch.setattr(AbstractConnection, "send_packed_command", sent)
        return trips
    inside = []

    def spied(method, keys_of):
        def spy(self, *args, **kwargs):
            if not inside:
                trips.append(keys_of(args))
            inside.append(True)
            try:
                return method(self, *args, **kwargs)
            finally:
                inside.pop()

        return spy

    monkeypatch.setattr(LocMemCache, "get", spied(LocMemCache.get, lambda args: [args[0]]))
    monkeypatch.setattr(BaseCache, "get_many", spied(BaseCache.get_many, lambda args: list(args[0])))
    for write in ("set", "add", "delete", "incr"):
        monkeypatch.setattr(LocMemCache, write, spied(getattr(LocMemCache, write), lambda args: []))
    return trips


@pytest.fixture
def busy_reader(login, reader):
    """A reader who follows an author with posts (and so has people to follow), logged in."""
    friend, suggested = UserFactory(), UserFactory()
    social.follow(follower=reader, followed=friend)
    social.follow(follower=friend, followed=suggested)
    PostFactory.create_batch(3, author=friend)
    blog.follow_tag(user=reader, name="python")
    return login(reader), friend, suggested


def sidebar(content):
    start = content.index('<aside class="sidebar"')
    return content[start : content.index("</aside>", start)]


def per_reader_keys(reader, sidebar):
    keys = [notice_key(reader.pk), *pending_count_keys(reader)]
    return keys + [who_to_follow_key(reader), blog.followed_tags_key(reader), upcoming_key(reader)] * sidebar


@pytest.mark.parametrize(
    ("path", "sidebar", "most"),
    [
        ("/", True, 4),
        ("/user/{friend}/", True, 4),
        ("/post/{post}/", False, 4),
        ("/notifications/", False, 3),
    ],
    ids=["home", "profile", "post", "notifications"],
)
def test_a_warm_page_reads_its_per_reader_keys_in_one_round_trip(
    busy_reader, reader, round_trips, settings, path, sidebar, most
):
    """The session; the read-ahead; the posts (with the list's total); the navbar and the sidebar."""
    settings.FLASKY_POSTS_PER_PAGE = 2  # (a next page: the list's total is read)
    client, friend, _suggested = busy_reader
    post = Post.objects.filter(author=friend).first()
    CommentFactory(post=post)
    path = path.format(friend=friend.username, post=post.pk)
    for _ in range(2):  # (warm: every cached value stored once)
        assert client.get(path).status_code == 200
    round_trips.clear()
    response = client.get(path)
    assert response.status_code == 200 and b"\x00" not in response.content
    assert len(round_trips) <= most, round_trips
    session, read_ahead, *rest = round_trips
    assert set(per_reader_keys(reader, sidebar)) <= set(read_ahead)
    if path.startswith("/notifications/"):  # (what the page is kept under: accounts.views)
        assert page_generation_key(reader.pk) in read_ahead
    later = {key for keys in rest for key in keys}
    assert not later & set(read_ahead), rest


def test_a_key_read_ahead_and_absent_is_not_read_again(round_trips):
    with readahead.request_scope():
        readahead.read(["gone", "here"])
        cache.set("here", 1)  # (after the read: the key is dropped from it, and read from the cache)
        round_trips.clear()
        assert cache.get("gone") is None and cache.get("gone", "default") == "default"
        assert cache.get_many(["gone"]) == {}
        assert round_trips == []


def test_a_key_written_during_the_request_is_read_as_written(round_trips):
    cache.set_many({"set": 1, "added": 1, "deleted": 1, "counted": 1, "many": 1, "deleted-many": 1})
    with readahead.request_scope():
        readahead.read(["set", "added", "deleted", "counted", "many", "deleted-many", "absent"])
        cache.set("set", 2)
        cache.delete("added")
        cache.add("added", 2)
        cache.delete("deleted")
        cache.incr("counted")
        cache.set_many({"many": 2, "absent": 2})
        cache.delete_many(["deleted-many"])
        assert [cache.get(key) for key in ("set", "added", "deleted", "counted", "many", "absent")] == [
            2,
            2,
            None,
            2,
            2,
            2,
        ]
        assert cache.get_many(["deleted-many", "set"]) == {"set": 2}


def test_a_clear_during_the_request_forgets_what_was_read_ahead():
    cache.set("kept", 1)
    with readahead.request_scope():
        readahead.read(["kept"])
        cache.clear()
        assert cache.get("kept") is None


def test_values_read_ahead_are_kept_for_the_request_only(round_trips):
    cache.set("value", 1)
    with readahead.request_scope():
        readahead.read(["value"])
    cache.set("value", 2, version=2)  # (a write that bypasses the read-ahead: none is open)
    round_trips.clear()
    assert cache.get("value") == 1 and cache.get("value", version=2) == 2
    assert len(round_trips) == 2


def test_a_warning_flagged_between_two_pages_shows_on_the_next_only(busy_reader, reader, round_trips):
    client, _friend, _suggested = busy_reader
    assert "A moderator has warned you" not in client.get("/").content.decode()  # (read ahead: no notice)
    Sanction.objects.create(user=reader, kind=SanctionKind.WARNING, note="Be kind.")
    cache.set(notice_key(reader.pk), True)
    assert "Be kind." in client.get("/").content.decode()
    assert cache.get(notice_key(reader.pk)) is None
    assert "Be kind." not in client.get("/").content.decode()


def test_a_follow_shows_in_the_next_pages_suggestions(busy_reader, reader):
    client, _friend, suggested = busy_reader
    assert f">{suggested.username}</a>" in sidebar(client.get("/").content.decode())
    social.follow(follower=reader, followed=suggested)
    assert f">{suggested.username}</a>" not in sidebar(client.get("/").content.decode())


def test_a_followed_tag_shows_on_the_next_page(busy_reader, reader):
    client, _friend, _suggested = busy_reader
    assert "#django" not in client.get("/").content.decode()
    blog.follow_tag(user=reader, name="django")
    assert "#django" in client.get("/").content.decode()


def test_a_cold_page_draws_its_deferred_fragments_and_stores_them(busy_reader, monkeypatch):
    client, _friend, _suggested = busy_reader
    cache.clear()
    drawn, render = [], fragments._render
    monkeypatch.setattr(fragments, "_render", lambda *args: drawn.append(args[0][0]) or render(*args))
    content = client.get("/").content.decode()
    assert "\x00" not in content and "<header>" in content and "#python" in sidebar(content)
    assert sorted(drawn) == ["_navbar.html", "_sidebar.html"]
    drawn.clear()
    assert "#python" in sidebar(client.get("/").content.decode())
    assert drawn == []


def test_a_key_wanted_is_carried_by_the_next_trip(round_trips):
    cache.set_many({"wanted": 1, "read": 2})
    with readahead.request_scope():
        readahead.want(["wanted"])
        round_trips.clear()
        assert cache.get("read") == 2
        assert cache.get("wanted") == 1 and cache.get_many(["wanted"]) == {"wanted": 1}
        assert len(round_trips) == 1 and set(round_trips[0]) == {"wanted", "read"}


def test_a_deferred_part_missing_from_the_response_is_neither_read_nor_drawn(round_trips):
    drawn = []
    with readahead.request_scope() as scope:
        scope.defers = True
        marker = readahead.later("fragment:gone", drawn.append)
        response = HttpResponseRedirect("/")
        readahead._fill(response, scope)
    assert marker.startswith("\x00") and not drawn


def test_a_deferred_part_is_put_in_the_page_with_its_value(round_trips):
    cache.set("fragment:here", "<b>cached</b>")
    with readahead.request_scope() as scope:
        scope.defers = True
        marker = readahead.later("fragment:here", lambda html: f"[{html}]")
        response = HttpResponse(f"<p>{marker}</p>", headers={"Content-Length": "0"})
        readahead._fill(response, scope)
    assert response.content == b"<p>[<b>cached</b>]</p>"
    assert response["Content-Length"] == str(len(response.content))


def test_only_this_request_s_markers_are_filled_and_a_part_is_never_searched_for_them(round_trips):
    with readahead.request_scope() as scope:
        scope.defers = True
        first = readahead.later("fragment:first", lambda html: "one")
        forged = first.replace(scope.nonce, "0" * 16)  # text made to look like a marker
        second = readahead.later("fragment:second", lambda html: f"two {first}")  # a part holding one
        response = HttpResponse(f"{first}|{forged}|{second}")
        readahead._fill(response, scope)
    assert response.content == f"one|{forged}|two {first}".encode()


def test_a_visitor_s_fragments_are_drawn_at_once(client, author):
    with readahead.request_scope():
        assert readahead.later("fragment:any", str) is None  # (the page cache may store a visitor's page)
    assert b"\x00" not in client.get("/").content


def test_a_list_s_total_is_read_when_the_pager_asks_and_counted_as_before(
    busy_reader, settings, round_trips, draw_pages_afresh
):
    settings.FLASKY_POSTS_PER_PAGE = 2
    client, friend, _suggested = busy_reader
    pager = client.get(f"/user/{friend.username}/").content.decode()
    assert "?page=2" in pager and "?page=3" not in pager  # (three posts: two pages)
    round_trips.clear()
    draw_pages_afresh()  # (drawn by the view: a page kept whole reads no total, flasky_project.shells)
    client.get(f"/user/{friend.username}/")
    totals = [keys for keys in round_trips if any(key.startswith("counts:list:") for key in keys)]
    # (carried by the page's posts' read: their cards, or the composed list of them)
    assert len(totals) == 1 and any(key.startswith(("card:", "composed:")) for key in totals[0])
    PostFactory.create_batch(2, author=friend)
    cache.clear()  # (the total is kept for minutes: counted again)
    assert "?page=3" in client.get(f"/user/{friend.username}/").content.decode()


def test_the_api_reads_nothing_ahead_for_a_logged_in_caller(busy_reader, reader, round_trips):
    client, _friend, _suggested = busy_reader
    client.get("/api/v1/posts/")
    round_trips.clear()
    assert client.get("/api/v1/posts/").status_code == 200
    assert not any(notice_key(reader.pk) in keys for keys in round_trips), round_trips
