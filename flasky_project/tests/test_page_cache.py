"""Visitors' pages rendered once (flasky_project/pagecache.py): hits, invalidation by every kind of change in
both languages, and revalidation with ETag / Last-Modified."""

import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.middleware.csrf import _mask_cipher_secret, get_token

from accounts.tests.factories import ModeratorFactory, UserFactory
from blog import marks
from blog import services as blog_services
from blog.models import Like, Post
from blog.tests.factories import CommentFactory, PostFactory
from conftest import Client
from flasky_project import pagecache
from moderation import services as moderation_services
from social import services as social_services
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"')
RELATIVE_TIME = re.compile(r"data-reltime>[^<]*<")  # "now", "a second ago": the clock moves on


def visitor(language="en", **headers):
    """A browser without an account, reading in ``language``."""
    return Client(headers={"accept-language": language, **headers})


def without_tokens(content):
    return RELATIVE_TIME.sub("data-reltime><", TOKEN.sub("TOKEN", content.decode()))


def fresh(path, language, settings):
    """The page as the view renders it now, without the cache."""
    seconds, settings.FLASKY_PAGE_CACHE_SECONDS = settings.FLASKY_PAGE_CACHE_SECONDS, 0
    try:
        return without_tokens(visitor(language).get(path).content)
    finally:
        settings.FLASKY_PAGE_CACHE_SECONDS = seconds


@pytest.fixture
def post(author):
    return PostFactory(author=author, body="The first post, about Flask.")


# --- Hits ---------------------------------------------------------------------------------------------------


def test_a_visitors_second_request_is_served_from_the_cache(post, django_assert_num_queries):
    first = visitor().get("/")
    with django_assert_num_queries(0):
        second = visitor().get("/")
    assert second.status_code == 200
    assert "The first post, about Flask." in second.content.decode()
    assert without_tokens(second.content) == without_tokens(first.content)
    assert second["ETag"] == first["ETag"] and second["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(
    "path",
    ["/", "/post/{pk}/", "/user/author/", "/tags/flask/", "/search/?q=flask", "/talks/", "/talks/{talk}/"],
)
def test_every_chosen_page_is_served_from_the_cache(author, path, django_assert_num_queries):
    post = PostFactory(author=author, body="About #flask.")
    talk = TalkFactory(post__author=author)
    path = path.format(pk=post.pk, talk=talk.pk)
    assert visitor().get(path).status_code == 200
    with django_assert_num_queries(0):
        assert visitor().get(path).status_code == 200


def test_each_language_has_its_own_page(post):
    english = visitor("en").get("/").content.decode()
    spanish = visitor("es").get("/").content.decode()
    assert 'lang="en"' in english and 'lang="es"' in spanish
    assert 'lang="es"' in visitor("es").get("/").content.decode()
    assert 'lang="en"' in visitor("en").get("/").content.decode()


def test_each_time_zone_has_its_own_page(post):
    visitor().get("/")
    madrid = visitor()
    madrid.cookies["tz"] = "Europe%2FMadrid"
    assert 'data-time-zone="Europe/Madrid"' in madrid.get("/").content.decode()
    assert 'data-time-zone="UTC"' in visitor().get("/").content.decode()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_theme_has_its_own_page(post, theme):
    visitor().get("/")  # the system's theme ("auto"), stored
    chooser = visitor()
    chooser.cookies["theme"] = theme
    assert f'<html lang="en" data-bs-theme="{theme}"' in chooser.get("/").content.decode()
    assert "data-bs-theme" not in visitor().get("/").content.decode().split(">", 2)[1]


def test_head_is_served_from_the_cache(post, django_assert_num_queries):
    etag = visitor().get("/")["ETag"]
    with django_assert_num_queries(0):
        response = visitor().head("/")
    assert response.status_code == 200 and response["ETag"] == etag


def test_the_cache_can_be_turned_off(post, settings, django_assert_max_num_queries):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    first = visitor().get("/")
    assert "ETag" not in first
    PostFactory(body="Written without the cache.")
    assert "Written without the cache." in visitor().get("/").content.decode()


# --- Every change shows on the next request -----------------------------------------------------------------


def publish_post(post, talk):
    blog_services.publish_post(author=post.author, body="A brand new post.")


def edit_post(post, talk):
    blog_services.edit_post(post, body="The first post, edited.")


def delete_post(post, talk):
    blog_services.delete_post(post)


def add_comment(post, talk):
    blog_services.publish_comment(post=post, author=UserFactory(), body="A comment arrives.")


def disable_comment(post, talk):
    comment = CommentFactory(post=post, body="A rude comment.")
    blog_services.set_disabled(comment, True, by=ModeratorFactory())


def like_post(post, talk):
    blog_services.like(user=UserFactory(), post=post)


def rename_author(post, talk):
    post.author.name = "Ada Lovelace-Byron"
    post.author.save()


def new_avatar(post, talk):
    post.author.avatar.save("new.png", ContentFile(b"\x89PNG"), save=True)


def hide_post_by_reports(post, talk, settings=None):
    for _ in range(3):  # FLASKY_REPORTS_TO_HOLD reports hold it for review
        moderation_services.report(reporter=UserFactory(), target=post, reason="spam")


def follow_author(post, talk):
    social_services.follow(follower=UserFactory(), followed=post.author)


def tag_post(post, talk):
    blog_services.edit_post(post, body="Now about #flask.")


def reschedule_talk(post, talk):
    talk.venue = "The Great Hall"
    talk.save()


def queryset_update(post, talk):
    Post.objects.filter(pk=post.pk).update(body_html="<p>Changed behind the ORM's back.</p>")


CHANGES = [
    pytest.param(publish_post, "/", id="post-published"),
    pytest.param(edit_post, "/post/{pk}/", id="post-edited"),
    pytest.param(delete_post, "/", id="post-deleted"),
    pytest.param(add_comment, "/post/{pk}/", id="comment-added"),
    pytest.param(disable_comment, "/post/{pk}/", id="comment-disabled"),
    pytest.param(like_post, "/", id="post-liked"),
    pytest.param(rename_author, "/user/author/", id="author-renamed"),
    pytest.param(new_avatar, "/", id="author-new-avatar"),
    pytest.param(hide_post_by_reports, "/", id="post-held-by-reports"),
    pytest.param(follow_author, "/user/author/", id="author-followed"),
    pytest.param(tag_post, "/tags/flask/", id="post-tagged"),
    pytest.param(reschedule_talk, "/talks/", id="talk-changed"),
    pytest.param(queryset_update, "/", id="queryset-update"),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("change", "path"), CHANGES)
def test_a_change_shows_on_the_next_request(post, change, path, language, settings):
    talk = TalkFactory(post__author=post.author, venue="Room 1")
    path = path.format(pk=post.pk)
    before = without_tokens(visitor(language).get(path).content)
    assert without_tokens(visitor(language).get(path).content) == before  # stored

    change(post, talk)

    after = without_tokens(visitor(language).get(path).content)
    assert after != before
    assert after == fresh(path, language, settings)


def test_writes_to_a_users_bookkeeping_columns_keep_the_pages(post, reader_client, django_assert_num_queries):
    visitor().get("/")
    reader_client.get("/")  # logging in and being seen write last_login and last_seen
    with django_assert_num_queries(0):
        visitor().get("/")


# --- Revalidation -------------------------------------------------------------------------------------------


def test_a_crawler_revalidates_with_the_etag(post, django_assert_num_queries):
    etag = visitor().get("/")["ETag"]
    with django_assert_num_queries(0):
        response = visitor(**{"if-none-match": etag}).get("/")
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag


def test_a_crawler_revalidates_with_the_date(post):
    last_modified = visitor().get("/")["Last-Modified"]
    response = visitor(**{"if-modified-since": last_modified}).get("/")
    assert response.status_code == 304


def test_a_browser_revalidates_with_the_etag_of_its_own_csrf_cookie(post):
    browser = visitor()
    first = browser.get("/")  # sets the CSRF cookie its form's token belongs to
    second = browser.get("/", headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    third = browser.get("/", headers={"if-none-match": second["ETag"]})
    assert third.status_code == 304
    # Someone else's copy is not this browser's: its token is for another cookie.
    other = visitor()
    other.get("/")
    assert other.get("/", headers={"if-none-match": second["ETag"]}).status_code == 200


def test_a_browser_with_a_csrf_cookie_is_not_told_304_by_date_alone(post):
    browser = visitor()
    last_modified = browser.get("/")["Last-Modified"]
    assert browser.get("/", headers={"if-modified-since": last_modified}).status_code == 200


def test_a_changed_page_is_not_304(post):
    first = visitor().get("/")
    blog_services.edit_post(post, body="Edited after the crawler's visit.")
    response = visitor(**{"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]}).get(
        "/"
    )
    assert response.status_code == 200
    assert "Edited after the crawler's visit." in response.content.decode()


def test_a_change_within_the_same_second_moves_last_modified_on(post):
    first = visitor().get("/")
    blog_services.edit_post(post, body="Edited in the same second.")
    second = visitor(**{"if-modified-since": first["Last-Modified"]}).get("/")
    assert second.status_code == 200 and second["Last-Modified"] != first["Last-Modified"]


def test_a_page_rendered_again_unchanged_keeps_its_validators(post):
    first = visitor().get("/")
    UserFactory()  # a change elsewhere: a new generation, the same home page
    response = visitor(**{"if-none-match": first["ETag"]}).get("/")
    assert response.status_code == 304


# --- What is never shared -----------------------------------------------------------------------------------


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(post):
    visitor().get("/")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page).group(1)
    assert token not in visitor().get("/").content.decode()
    response = browser.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "es", "next": "/"})
    assert response.status_code == 302
    assert 'lang="es"' in browser.get("/").content.decode()


def test_a_logged_in_readers_page_is_never_shared(post, reader_client, django_assert_max_num_queries):
    visitor().get("/")
    page = reader_client.get("/")
    assert "Log Out" in page.content.decode() and "ETag" not in page
    assert "Log Out" not in visitor().get("/").content.decode()


def test_a_page_with_a_message_is_neither_served_nor_stored(author):
    talk = TalkFactory(post__author=author)
    path = f"/talks/{talk.pk}/"
    browser = visitor()
    browser.get(path)
    guest = {"name": "Ada", "email": "ada@example.net", "body": "Great talk!"}
    response = browser.post(path, guest, follow=True)
    assert "reviewed by the presenter" in response.content.decode()
    assert "ETag" not in response
    assert "reviewed by the presenter" not in visitor().get(path).content.decode()


def test_a_visitor_with_something_in_their_session_gets_their_own_page(post):
    browser = visitor()
    session = browser.session
    session["seen_intro"] = True
    session.save()
    browser.cookies["sessionid"] = session.session_key
    assert "ETag" not in browser.get("/")


def test_a_post_is_never_served_from_the_cache(author):
    talk = TalkFactory(post__author=author)
    path = f"/talks/{talk.pk}/"
    visitor().get(path)
    response = visitor().post(path, {"name": "", "email": "", "body": ""})
    assert response.status_code == 400 and "ETag" not in response


def test_an_error_page_is_never_stored(db):
    assert visitor().get("/user/nobody/").status_code == 404
    UserFactory(username="nobody")
    assert visitor().get("/user/nobody/").status_code == 200


@pytest.mark.urls("flasky_project.tests.urls_pagecache")
@pytest.mark.parametrize("path", ["/sets-a-cookie/", "/adds-a-message/", "/touches-the-session/"])
def test_a_response_that_leaves_something_with_the_visitor_is_never_stored(db, path):
    first = visitor().get(path)
    assert first.status_code == 200 and "ETag" not in first
    assert visitor().get(path).content != first.content  # rendered again: a counter in the page


def test_a_visitors_home_page_holds_forms_with_a_token_only_for_the_language_and_the_theme(post):
    page = visitor().get("/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') == 2
    assert 'action="/i18n/setlang/"' in page and 'action="/theme/"' in page
    assert f'action="/post/{post.pk}/like/"' not in page and f'action="/post/{post.pk}/bookmark/"' not in page


# --- The watch on writes ------------------------------------------------------------------------------------


def test_requests_leave_each_connections_wrappers_as_they_were(post):
    # Every wrapper is installed once, when the connection is made, and no request adds or takes any.
    names = sorted(wrapper.__name__ for wrapper in connection.execute_wrappers)
    assert names == ["_time_query", "watch_marks", "watch_session_users", "watch_writes"]
    kept = list(connection.execute_wrappers)
    visitor().get("/")
    Client().get("/user/nobody/")  # a 404
    assert connection.execute_wrappers == kept


@pytest.mark.skipif(connection.vendor == "sqlite", reason="an in-memory SQLite database is never closed")
@pytest.mark.django_db(transaction=True)
def test_a_connection_opened_during_a_request_keeps_watching_writes(author):
    # A worker's first request opens its connection, whose wrappers are installed then and must outlive the
    # request (the slow-query timer was taken off the end of the list when the request ended: the watchers,
    # appended after it, went instead, and later writes on that connection made no new generation).
    kept = list(connection.execute_wrappers)
    connection.close()
    connection.execute_wrappers.clear()  # as in a new worker's thread
    try:
        for _ in range(3):
            assert visitor().get("/").status_code == 200
        names = [wrapper.__name__ for wrapper in connection.execute_wrappers]
        assert sorted(names) == ["_time_query", "watch_marks", "watch_session_users", "watch_writes"]
        before = pagecache.generation()
        PostFactory(author=author)
        assert pagecache.generation() != before
    finally:
        connection.execute_wrappers[:] = kept


def test_inserts_that_ignore_conflicts_make_a_new_generation(post, reader):
    # SQLite writes them INSERT OR IGNORE INTO: a write all the same (the marks' generation too, for the API)
    before, marks_before = pagecache.generation(), cache.get(marks.GENERATION_KEY)
    Like.objects.bulk_create([Like(post=post, user=reader)], ignore_conflicts=True)
    assert pagecache.generation() != before
    assert cache.get(marks.GENERATION_KEY) != marks_before


def test_nothing_is_kept_under_a_generation_with_read_replicas(settings):
    generation = pagecache.generation()
    assert pagecache.settled(generation)
    settings.DATABASE_REPLICAS = ["replica"]
    # however old the generation: a replica may lag longer than any window
    assert not pagecache.settled(generation) and not pagecache.settled("old:0")


def test_text_that_looks_like_the_drawers_token_stays_text(author, client):
    """A stored page is drawn under a CSRF secret of its own (pagecache.throwaway_csrf_secret): a masked copy
    of the drawing visitor's secret, written where the page shows text, is not taken for a token."""
    client.get("/")  # (the drawing visitor's CSRF cookie)
    planted = _mask_cipher_secret(client.cookies["csrftoken"].value)
    author.about_me = f"See https://evil.example/{planted}"
    author.save()
    path = f"/user/{author.username}/"
    assert planted in client.get(path).content.decode()
    other = Client()
    other.get("/")
    response = other.get(path)
    assert response.has_header("ETag")  # the stored page
    assert f"https://evil.example/{planted}" in response.content.decode()
    assert 'name="csrfmiddlewaretoken" value="' in response.content.decode()  # its own token in its forms


def test_a_page_is_drawn_under_a_throwaway_secret_and_the_readers_comes_back(rf):
    from django.middleware.csrf import rotate_token  # noqa: PLC0415

    request = rf.get("/")
    request.META["CSRF_COOKIE"] = "r" * 32
    with pagecache.throwaway_csrf_secret(request) as drawn:
        assert request.META["CSRF_COOKIE"] == drawn.secret != "r" * 32
        get_token(request)
    assert drawn.used and request.META["CSRF_COOKIE"] == "r" * 32
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META  # (the reader's own: only when their page has it)
    # a view that rotates the token (a login) keeps the new one
    with pagecache.throwaway_csrf_secret(request) as drawn:
        rotate_token(request)
    assert request.META["CSRF_COOKIE"] not in ("r" * 32, drawn.secret)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]


def test_a_readers_token_is_their_secret_masked_afresh_as_django_masks_it(rf):
    from collections import Counter  # noqa: PLC0415

    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token  # noqa: PLC0415

    request = rf.get("/")
    secret = _mask_cipher_secret("s" * 32)[32:]  # (any 32 allowed characters)
    request.META["CSRF_COOKIE"] = secret
    tokens = [pagecache.csrf_token(request) for _ in range(300)]
    assert all(len(token) == 64 and _unmask_cipher_token(token) == secret for token in tokens)
    assert len(set(tokens)) == 300 and request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    # each character of the alphabet is as likely as any other: of 124,000 drawn, each about 2,000 (a byte's
    # remainder by 62 would draw the first eight 2,500 times each)
    drawn = Counter(pagecache._random_chars(124_000))
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)
    assert all(1_750 < count < 2_250 for count in drawn.values()), drawn  # (5.6 standard deviations)
    # no secret yet: Django's own get_token, which makes one
    request = rf.get("/")
    token = pagecache.csrf_token(request)
    assert (
        len(request.META["CSRF_COOKIE"]) == 32 and _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    )
