"""The post page and its comments, commenting, and moderation (moderators and post authors)."""

import pytest
from django.contrib.admin.models import LogEntry

from accounts import roles
from accounts.models import Role
from accounts.tests.factories import UserFactory
from blog.models import Comment
from blog.tests.factories import CommentFactory, PostFactory
from blog.tests.test_views_posts import without_tokens

pytestmark = pytest.mark.django_db

DISABLED_NOTICE = "This comment has been disabled by a moderator."


# --- the post page ----------------------------------------------------------------------------------------


def test_post_page_shows_the_post_and_its_comments_oldest_first(client):
    post = PostFactory(body="The *post*")
    first, second = CommentFactory(post=post, body="first!"), CommentFactory(post=post, body="second")
    response = client.get(f"/post/{post.pk}/")
    assert "<em>post</em>" in response.content.decode()
    assert list(response.context["page"]) == [first, second]


def test_unknown_post_is_404(client):
    assert client.get("/post/999999/").status_code == 404


def test_comments_paginate_by_30_and_page_last_is_the_last(client):
    post = PostFactory()
    comments = CommentFactory.create_batch(31, post=post)
    assert len(client.get(f"/post/{post.pk}/").context["page"]) == 30
    assert list(client.get(f"/post/{post.pk}/?page=last").context["page"]) == [comments[-1]]
    assert list(client.get(f"/post/{post.pk}/?page=-1").context["page"]) == [comments[-1]]
    assert 'href="?page=2#comments"' in client.get(f"/post/{post.pk}/").content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-2", "99999"])
def test_bad_comment_page_numbers_are_404(client, page):
    post = PostFactory()
    CommentFactory(post=post)
    assert client.get(f"/post/{post.pk}/?page={page}").status_code == 404


def test_page_last_of_a_post_without_comments_is_the_first(client):
    assert client.get(f"/post/{PostFactory().pk}/?page=last").status_code == 200


@pytest.mark.parametrize(("rows", "counted"), [(1, False), (30, False), (31, True)])
def test_post_page_query_count_is_fixed(client, login, rows, counted, django_assert_num_queries):
    post = PostFactory()
    CommentFactory.create_batch(rows, post=post)
    # the post with its counts and any talk details (its pictures only when it has some: blog.ruled_rows),
    # a page of top-level comments with their like counts (one row more, which tells whether the page is
    # the last), the page's replies (one query, however many threads), and the count of top-level comments
    # only when there is a page after this one
    with django_assert_num_queries(4 if counted else 3):
        client.get(f"/post/{post.pk}/")
    reader = UserFactory()
    logged_in = login(reader)
    logged_in.get("/")
    # + the reader's like and bookmark of the post (one query; the session's user is its copy kept in the
    # cache: accounts.backends); their likes among the
    # comments come with the comments, and permissions cost nothing; + whether they wrote a comment on it
    # that others do not see (the page is then not kept for others: flasky_project.shells)
    with django_assert_num_queries(6 if counted else 5):
        drawn = logged_in.get(f"/post/{post.pk}/")
    # the page kept whole for readers of its kind: the reader's like and bookmark of the post, their likes
    # among the comments (with whether they wrote one that others do not see)
    with django_assert_num_queries(2):
        kept = logged_in.get(f"/post/{post.pk}/")
    assert without_tokens(kept) == without_tokens(drawn)


# --- commenting -------------------------------------------------------------------------------------------


def test_commenting_lands_on_the_last_page_at_the_comment(reader_client, reader):
    post = PostFactory()
    CommentFactory.create_batch(30, post=post)
    response = reader_client.post(f"/post/{post.pk}/", {"body": "Mine *too*", "notify": "on"})
    comment = Comment.objects.get(author=reader)
    assert response["Location"] == f"/post/{post.pk}/?page=2#comment-{comment.pk}"
    assert comment.body_html == "Mine <em>too</em>"
    page = reader_client.get(response["Location"])
    assert "Your comment has been published." in page.content.decode()
    assert f'id="comment-{comment.pk}"' in page.content.decode()


def test_an_empty_comment_is_refused(reader_client):
    post = PostFactory()
    response = reader_client.post(f"/post/{post.pk}/", {"body": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_refused(reader_client):
    post = PostFactory()
    assert reader_client.post(f"/post/{post.pk}/", {"body": "x" * 5001}).status_code == 400
    assert not Comment.objects.exists()


def test_strangers_commenting_are_sent_to_log_in(client):
    post = PostFactory()
    response = client.post(f"/post/{post.pk}/", {"body": "hi"})
    assert response.status_code == 302 and "/auth/login/" in response["Location"]
    assert not Comment.objects.exists()
    assert "Log in to comment." in client.get(f"/post/{post.pk}/").content.decode()


def test_users_without_comment_permission_get_403_and_no_form(login, monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.USER, [roles.FOLLOW, roles.WRITE])
    client = login(UserFactory())
    post = PostFactory()
    assert client.get(f"/post/{post.pk}/").context["comment_form"] is None
    assert client.post(f"/post/{post.pk}/", {"body": "hi"}).status_code == 403
    assert not Comment.objects.exists()


def test_commenting_on_an_unknown_post_is_404(reader_client):
    assert reader_client.post("/post/999999/", {"body": "hi"}).status_code == 404


# --- disabled comments ------------------------------------------------------------------------------------


def test_disabled_comments_show_the_notice_to_readers(reader_client):
    comment = CommentFactory(body="rude words", disabled=True)
    content = reader_client.get(f"/post/{comment.post_id}/").content.decode()
    assert DISABLED_NOTICE in content and "rude words" not in content


def test_disabled_comments_show_their_text_to_moderators_and_the_post_author(moderator_client, login):
    comment = CommentFactory(body="rude words", disabled=True)
    for client in (moderator_client, login(comment.post.author)):
        content = client.get(f"/post/{comment.post_id}/").content.decode()
        assert DISABLED_NOTICE in content and "rude words" in content


def test_the_comments_own_author_sees_only_the_notice(login):
    comment = CommentFactory(body="rude words", disabled=True)
    content = login(comment.author).get(f"/post/{comment.post_id}/").content.decode()
    assert DISABLED_NOTICE in content and "rude words" not in content


# --- moderating -------------------------------------------------------------------------------------------


def test_moderator_disables_and_enables_a_comment(moderator_client):
    comment = CommentFactory()
    response = moderator_client.post(f"/comment/{comment.pk}/disable/", {"next": "/moderate/?page=1"})
    assert response["Location"] == "/moderate/?page=1"
    assert Comment.objects.get(pk=comment.pk).disabled
    moderator_client.post(f"/comment/{comment.pk}/enable/")
    assert not Comment.objects.get(pk=comment.pk).disabled


def test_post_author_moderates_comments_on_their_post(login):
    comment = CommentFactory()
    login(comment.post.author).post(f"/comment/{comment.pk}/disable/")
    assert Comment.objects.get(pk=comment.pk).disabled


def test_others_may_not_moderate(reader_client):
    comment = CommentFactory()
    assert reader_client.post(f"/comment/{comment.pk}/disable/").status_code == 403
    assert not Comment.objects.get(pk=comment.pk).disabled


def test_moderation_refuses_get_strangers_unknown_comments_and_foreign_next(client, moderator_client):
    comment = CommentFactory()
    assert moderator_client.get(f"/comment/{comment.pk}/disable/").status_code == 405
    assert client.post(f"/comment/{comment.pk}/disable/").status_code == 302
    assert moderator_client.post("/comment/999999/disable/").status_code == 404
    response = moderator_client.post(f"/comment/{comment.pk}/disable/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/post/{comment.post_id}/#comment-{comment.pk}"
    assert not Comment.objects.filter(pk=comment.pk, disabled=False).exists()


def test_moderation_page_lists_every_published_comment_newest_first(moderator_client):
    older, newer = CommentFactory(), CommentFactory(disabled=True, body="bad words")
    response = moderator_client.get("/moderate/")
    assert list(response.context["page"]) == [newer, older]
    content = response.content.decode()
    assert "<h1>Comment Moderation</h1>" in content
    assert DISABLED_NOTICE in content and "bad words" in content
    assert (
        f'action="/comment/{newer.pk}/enable/"' in content
        and f'action="/comment/{older.pk}/disable/"' in content
    )
    assert 'name="next" value="/moderate/#comment-' in content


def test_moderation_page_is_for_moderators(client, reader_client, moderator_client):
    assert client.get("/moderate/").status_code == 302
    assert reader_client.get("/moderate/").status_code == 403
    assert moderator_client.get("/moderate/").status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_moderation_page_query_count_is_fixed(moderator_client, rows, django_assert_num_queries):
    CommentFactory.create_batch(rows)
    moderator_client.get("/moderate/")
    # the page's keys, the page's comments with their posts and people, the navbar's count of open reports
    # (moderation's; its count of comments waiting comes from the cache)
    # (the session's user is its copy kept in the cache: accounts.backends)
    with django_assert_num_queries(3):
        moderator_client.get("/moderate/")


def test_moderators_see_the_moderate_link(moderator_client, reader_client):
    assert 'href="/moderate/"' in moderator_client.get("/").content.decode()
    assert 'href="/moderate/"' not in reader_client.get("/").content.decode()


# --- the admin --------------------------------------------------------------------------------------------


def test_admin_bulk_disable_by_a_moderator_is_logged(moderator_client):
    comments = CommentFactory.create_batch(2)
    moderator_client.post(
        "/admin/blog/comment/", {"action": "disable_comments", "_selected_action": [c.pk for c in comments]}
    )
    assert Comment.objects.filter(disabled=True).count() == 2
    assert LogEntry.objects.filter(change_message="Disabled.").count() == 2


def test_admin_lists_searches_and_filters_comments(moderator_client):
    CommentFactory(body="findme please", disabled=True)
    CommentFactory(body="other")
    response = moderator_client.get("/admin/blog/comment/?q=findme&disabled__exact=1")
    assert len(response.context["cl"].result_list) == 1


def test_moderators_may_view_posts_in_the_admin_but_not_delete_them(moderator_client):
    post = PostFactory()
    assert moderator_client.get("/admin/blog/post/").status_code == 200
    assert moderator_client.post(f"/admin/blog/post/{post.pk}/delete/", {"post": "yes"}).status_code == 403


def test_page_last_counts_the_comments_once(client, django_assert_num_queries):
    post = PostFactory()
    CommentFactory.create_batch(3, post=post)
    # the post, the count (which serves the pager too), the last page's comments, their replies
    with django_assert_num_queries(4) as captured:
        client.get(f"/post/{post.pk}/?page=last")
    counts = [
        query for query in captured.captured_queries if query["sql"].upper().startswith("SELECT COUNT(")
    ]
    assert len(counts) == 1


@pytest.mark.parametrize(
    ("rows", "number", "status", "shown"),
    [
        pytest.param(0, "1", 200, 0, id="empty-first"),
        pytest.param(30, "1", 200, 30, id="full-only-page"),
        pytest.param(31, "1", 200, 30, id="first-of-two"),
        pytest.param(31, "2", 200, 1, id="last-of-two"),
        pytest.param(30, "2", 404, 0, id="past-the-end"),
        pytest.param(31, "3", 404, 0, id="far-past-the-end"),
        pytest.param(1, "1000000001", 404, 0, id="past-any-list"),
    ],
)
def test_a_page_read_with_one_row_more_is_the_same_page(client, rows, number, status, shown):
    post = PostFactory()
    CommentFactory.create_batch(rows, post=post)
    response = client.get(f"/post/{post.pk}/?page={number}")
    assert response.status_code == status
    if status == 200:
        page = response.context["page"]
        assert len(page.object_list) == shown
        assert page.paginator.count == rows and page.paginator.num_pages == max(1, -(-rows // 30))
        assert page.has_next() is (int(number) * 30 < rows)
