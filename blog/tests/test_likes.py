"""Liking posts and comments, bookmarking posts: the forms without JavaScript, the JSON for the page's script,
the one visibility rule, races, and fixed query counts with pages full of likes and bookmarks."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

import blog.models
from accounts.models import Notification, NotificationType
from accounts.tests.factories import UserFactory
from blog import services
from blog.models import Bookmark, Like
from blog.tests.factories import BookmarkFactory, CommentFactory, LikeFactory, PostFactory
from blog.tests.test_composed import same_list
from blog.tests.test_views_posts import without_tokens
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def test_liking_a_post_without_javascript_goes_back(reader_client, reader):
    post = PostFactory()
    response = reader_client.post(f"/post/{post.pk}/like/", {"next": "/?page=1#post-1"})
    assert response.status_code == 302
    assert response["Location"] == "/?page=1#post-1"
    assert Like.objects.filter(user=reader, post=post).count() == 1


def test_liking_never_goes_back_to_another_site(reader_client):
    post = PostFactory()
    response = reader_client.post(f"/post/{post.pk}/like/", {"next": "//evil.example/"})
    assert response["Location"] == post.get_absolute_url()


def test_liking_with_javascript_answers_the_new_count(reader_client, reader):
    post = PostFactory()
    LikeFactory(post=post)
    response = reader_client.post(f"/post/{post.pk}/like/", **JSON)
    assert response.json() == {"liked": True, "like_count": 2}
    response = reader_client.post(f"/post/{post.pk}/like/", {"undo": "1"}, **JSON)
    assert response.json() == {"liked": False, "like_count": 1}
    assert not Like.objects.filter(user=reader).exists()


def test_liking_twice_is_harmless(reader_client, reader):
    post = PostFactory()
    reader_client.post(f"/post/{post.pk}/like/")
    response = reader_client.post(f"/post/{post.pk}/like/", **JSON)
    assert response.json() == {"liked": True, "like_count": 1}
    assert Like.objects.filter(post=post).count() == 1


def test_undoing_a_like_that_is_not_there_is_harmless(reader_client):
    post = PostFactory()
    response = reader_client.post(f"/post/{post.pk}/like/", {"undo": "1"}, **JSON)
    assert response.json() == {"liked": False, "like_count": 0}


def test_liking_needs_a_login_and_a_post(client, reader_client):
    post = PostFactory()
    assert client.post(f"/post/{post.pk}/like/")["Location"].startswith("/auth/login/")
    assert reader_client.get(f"/post/{post.pk}/like/").status_code == 405
    assert reader_client.post("/post/999999/like/").status_code == 404
    assert reader_client.post("/comment/999999/like/").status_code == 404
    assert not Like.objects.exists()


def test_liking_what_the_rule_hides_is_a_404(reader_client, reader, monkeypatch):
    post = PostFactory()
    comment = CommentFactory(post=post)
    monkeypatch.setattr(blog.models, "post_visibility", lambda viewer, via="": ~Q(**{f"{via}pk": post.pk}))
    assert reader_client.post(f"/post/{post.pk}/like/").status_code == 404
    assert reader_client.post(f"/comment/{comment.pk}/like/").status_code == 404
    assert reader_client.post(f"/post/{post.pk}/bookmark/").status_code == 404
    assert reader_client.get(f"/post/{post.pk}/likes/").status_code == 404
    assert not Like.objects.exists() and not Bookmark.objects.exists()


def test_liking_a_comment(reader_client, reader):
    comment = CommentFactory()
    response = reader_client.post(f"/comment/{comment.pk}/like/", **JSON)
    assert response.json() == {"liked": True, "like_count": 1}
    assert Like.objects.get().comment == comment
    response = reader_client.post(f"/comment/{comment.pk}/like/", {"next": "/post/1/?page=2"})
    assert response["Location"] == "/post/1/?page=2"
    assert Like.objects.filter(comment=comment).count() == 1


def test_a_like_is_for_a_post_or_a_comment_never_both(reader):
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(user=reader, post=PostFactory(), comment=CommentFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(user=reader)


def test_a_like_is_on_the_site_only_for_the_author(reader, author, mailoutbox):
    post = PostFactory(author=author)
    services.like(user=reader, post=post)
    services.like(user=reader, post=post)  # twice: still one notification
    services.like(user=author, post=post)  # never about your own act
    told = [(note.recipient_id, note.kind, note.actor_id) for note in Notification.objects.all()]
    assert told == [(author.pk, NotificationType.LIKE, reader.pk)]
    assert mailoutbox == []


def test_who_liked_lists_the_likers_newest_first(client):
    post = PostFactory()
    older, newer = LikeFactory(post=post), LikeFactory(post=post)
    page = client.get(f"/post/{post.pk}/likes/")
    assert list(page.context["page"]) == [newer, older]
    assert newer.user.username in page.content.decode()
    assert client.get(f"/post/{post.pk}/likes/?page=2").status_code == 404


def test_who_liked_pages_by_fifty_in_fixed_queries(client, django_assert_num_queries):
    post = PostFactory()
    for user in UserFactory.create_batch(51):
        LikeFactory(post=post, user=user)
    # a visit minutes ago left the list's total in the cache (pagination.list_total)
    client.get(f"/post/{post.pk}/likes/")
    with django_assert_num_queries(3):  # the post, the page's keys, the page's likes with their users
        page = client.get(f"/post/{post.pk}/likes/")
    assert len(page.context["page"]) == 50 and page.context["page"].has_next()


# --- bookmarks --------------------------------------------------------------------------------------------


def test_bookmarking_without_javascript(reader_client, reader):
    post = PostFactory()
    response = reader_client.post(f"/post/{post.pk}/bookmark/", {"next": "/bookmarks/"})
    assert response["Location"] == "/bookmarks/"
    assert Bookmark.objects.filter(user=reader, post=post).count() == 1
    reader_client.post(f"/post/{post.pk}/bookmark/")
    assert Bookmark.objects.filter(user=reader, post=post).count() == 1
    response = reader_client.post(f"/post/{post.pk}/bookmark/", {"undo": "1"}, **JSON)
    assert response.json() == {"bookmarked": False}
    assert not Bookmark.objects.exists()


def test_bookmarks_list_newest_bookmarked_first_and_only_mine(reader_client, reader):
    first, second = PostFactory(), PostFactory()
    BookmarkFactory(user=reader, post=second)
    BookmarkFactory(user=reader, post=first)  # bookmarked later, though written earlier
    BookmarkFactory(post=PostFactory())  # someone else's
    page = reader_client.get("/bookmarks/")
    assert list(page.context["page"]) == [first, second]
    assert all(post.viewer_bookmarked for post in page.context["page"])


def test_bookmarks_need_a_login(client):
    assert client.get("/bookmarks/")["Location"].startswith("/auth/login/")


def test_bookmarks_page_query_count_is_fixed(login, reader, compose_lists_afresh, django_assert_num_queries):
    for post in PostFactory.create_batch(20):
        BookmarkFactory(user=reader, post=post)
        LikeFactory(user=reader, post=post)
    client = login(reader)
    client.get("/bookmarks/")
    # the page's keys, its posts, the reader's likes and bookmarks
    # (the session's user is its copy kept in the cache: accounts.backends)
    # (the pictures of the page's posts: one more query only when some post has any, none here:
    # blog.listing.listed_posts)
    compose_lists_afresh()  # the list composed afresh (blog.composed)
    with django_assert_num_queries(3):
        response = client.get("/bookmarks/")
    assert len(response.context["page"]) == 20
    # the same list again, kept for readers of its kind: its rows are not read (blog.composed)
    with django_assert_num_queries(2):
        kept = client.get("/bookmarks/")
    assert same_list(kept, response)


# --- lists show counts and the viewer's flags in fixed queries ------------------------------------------


@pytest.mark.parametrize("rows", [1, 20])
def test_home_with_a_page_of_liked_and_bookmarked_posts(
    login, reader, rows, compose_lists_afresh, draw_pages_afresh, django_assert_num_queries
):
    for _ in range(rows):
        post = PostFactory(author=FollowFactory(follower=reader).followed)
        LikeFactory(post=post, user=reader)
        LikeFactory(post=post)
        BookmarkFactory(post=post, user=reader)
        CommentFactory(post=post)
    client = login(reader)
    client.get("/")
    # the page's keys, the posts with counts, the reader's likes and bookmarks
    # (the session's user is its copy kept in the cache: accounts.backends)
    # (the pictures of the page's posts: one more query only when some post has any, none here:
    # blog.listing.listed_posts)
    compose_lists_afresh()  # the list composed afresh (blog.composed)
    with django_assert_num_queries(3):
        response = client.get("/")
    posts = response.context["page"]
    assert {(post.like_count, post.viewer_liked, post.viewer_bookmarked) for post in posts} == {
        (2, True, True)
    }
    posts_html = response.content.decode().split('<ul class="post-list')[1]  # not the navbar's theme switch
    assert posts_html.count('aria-pressed="true"') == 2 * rows
    # the same list again, kept for readers of its kind: its rows are not read (blog.composed)
    draw_pages_afresh()  # (not the page kept whole: flasky_project.shells)
    with django_assert_num_queries(2):
        kept = client.get("/")
    assert same_list(kept, response)


@pytest.mark.parametrize("rows", [1, 20])
def test_profile_with_a_page_of_liked_posts(
    login, reader, author, rows, compose_lists_afresh, draw_pages_afresh, django_assert_num_queries
):
    for post in PostFactory.create_batch(rows, author=author):
        LikeFactory(post=post, user=reader)
        BookmarkFactory(post=post, user=reader)
    client = login(reader)
    client.get(f"/user/{author.username}/")
    # as without likes (logged in: blog/tests/test_suggestions.py, with the sidebar's suggestions), + the
    # viewer's likes and bookmarks (the pictures of the page's posts: one more query only when some post
    # has any, none here: blog.listing.listed_posts); the suggestions come from the cache (blog.suggestions);
    # the reader's relation to the owner from what was read with the session (ViewerFacts.unrelated)
    compose_lists_afresh()  # the list composed afresh (blog.composed)
    with django_assert_num_queries(8):
        response = client.get(f"/user/{author.username}/")
    assert all(post.viewer_liked and post.like_count == 1 for post in response.context["page"])
    # the same list again, kept for readers of its kind: its rows are not read (blog.composed)
    draw_pages_afresh()  # (not the page kept whole: flasky_project.shells)
    with django_assert_num_queries(7):
        kept = client.get(f"/user/{author.username}/")
    assert same_list(kept, response)
    # the page kept whole for readers of its kind: the follow block's counts, the reader's likes and
    # bookmarks (flasky_project.shells, talks.views.fill_follow_block)
    with django_assert_num_queries(2):
        whole = client.get(f"/user/{author.username}/")
    assert same_list(whole, response) and without_tokens(whole) == without_tokens(response)
    # and what those two read is kept for the reader (flasky_project.shells.Memo): no query
    with django_assert_num_queries(0):
        again = client.get(f"/user/{author.username}/")
    assert without_tokens(again) == without_tokens(response)


def test_strangers_see_counts_and_no_buttons(client):
    post = PostFactory()
    LikeFactory(post=post)
    html = client.get("/").content.decode()
    assert f'href="/post/{post.pk}/likes/"' in html
    assert f'action="/post/{post.pk}/like/"' not in html


@pytest.mark.django_db(transaction=True)
def test_two_racing_likes_make_one_row():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so there is no race to lose there; PostgreSQL runs this.")
    user, post = UserFactory(), PostFactory()
    barrier = threading.Barrier(2)
    results = []

    def attempt():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both transactions are open before either inserts
                results.append(services.like(user=user, post=post))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == [False, True]
    assert Like.objects.filter(user=user, post=post).count() == 1
