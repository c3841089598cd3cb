"""Approving and deleting comments that wait (speakers on their talks, moderators everywhere), in place
(JSON) and with plain forms; the queues of pending comments; the navbar's count; who sees guests' emails."""

import pytest

from accounts.tests.factories import UserFactory
from blog.models import Comment
from blog.tests.factories import CommentFactory
from conftest import Client
from talks.tests.factories import GuestCommentFactory, TalkFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def talk(author):
    return TalkFactory(post__author=author)


@pytest.fixture
def pending(talk):
    return GuestCommentFactory(post=talk.post, guest_name="Ada", guest_email="ada@example.net", body="Hello")


def approve(client, comment, **extra):
    return client.post(f"/talks/comments/{comment.pk}/approve/", {"next": "/talks/moderate/"}, **extra)


def delete(client, comment, **extra):
    return client.post(f"/talks/comments/{comment.pk}/delete/", {"next": "/talks/moderate/"}, **extra)


def is_approved(comment):
    return Comment.objects.get(pk=comment.pk).approved


# --- approving and deleting -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["author", "moderator", "administrator"])
def test_speakers_and_moderators_approve_in_place(request, who, pending, mailoutbox):
    client = request.getfixturevalue(f"{who}_client")
    response = approve(client, pending, **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "message": "The comment has been approved.",
        "pending": 0,
        "approved": True,
    }
    assert is_approved(pending)


def test_approving_without_javascript_redirects_back_with_a_message(author_client, pending):
    response = approve(author_client, pending)
    assert response["Location"] == "/talks/moderate/"
    assert "The comment has been approved." in author_client.get("/talks/moderate/").content.decode()
    assert is_approved(pending)


def test_approving_twice_is_a_400(author_client, pending):
    approve(author_client, pending)
    response = approve(author_client, pending, **JSON)
    assert response.status_code == 400
    assert response.json() == {"error": "bad request", "message": "Comment is already approved."}


@pytest.mark.parametrize("who", ["author", "moderator"])
def test_speakers_and_moderators_delete_pending_comments(request, who, pending):
    client = request.getfixturevalue(f"{who}_client")
    response = delete(client, pending, **JSON)
    assert response.status_code == 200 and response.json()["deleted"] is True
    assert not Comment.objects.filter(pk=pending.pk).exists()


def test_deleting_without_javascript_redirects_back(author_client, pending):
    assert delete(author_client, pending)["Location"] == "/talks/moderate/"
    assert not Comment.objects.filter(pk=pending.pk).exists()


def test_approved_comments_are_not_deleted_here(author_client, talk):
    published = CommentFactory(post=talk.post)
    response = delete(author_client, published, **JSON)
    assert response.status_code == 400 and response.json()["message"] == "Comment is already approved."
    without_js = delete(author_client, published)
    assert without_js.status_code == 302
    assert "Comment is already approved." in author_client.get(without_js["Location"]).content.decode()
    assert Comment.objects.filter(pk=published.pk).exists()


def test_other_users_may_not_moderate(reader_client, pending):
    # A comment waiting for approval does not exist for them (the one visibility rule): a 404, as for a
    # comment that does not exist, which tells nothing.
    for action in (approve, delete):
        response = action(reader_client, pending, **JSON)
        assert response.status_code == 404
        assert response.json()["error"] == "not found"
        assert action(reader_client, pending).status_code == 404
    assert Comment.objects.filter(pk=pending.pk, approved=False).exists()


def test_speakers_may_not_moderate_comments_on_others_talks(login, pending):
    other_speaker = TalkFactory().post.author
    assert approve(login(other_speaker), pending, **JSON).status_code == 404
    assert not is_approved(pending)


def test_strangers_are_sent_to_log_in(client, pending):
    assert approve(client, pending).status_code == 302
    assert delete(client, pending).status_code == 302
    assert Comment.objects.filter(pk=pending.pk, approved=False).exists()


def test_moderation_needs_post_and_a_known_comment(author_client, pending):
    assert author_client.get(f"/talks/comments/{pending.pk}/approve/").status_code == 405
    assert author_client.get(f"/talks/comments/{pending.pk}/delete/").status_code == 405
    assert approve(author_client, Comment(pk=999999), **JSON).status_code == 404
    assert not is_approved(pending)


def test_moderation_needs_the_csrf_token(author, pending):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert approve(client, pending, **JSON).status_code == 403
    assert delete(client, pending, **JSON).status_code == 403
    assert Comment.objects.filter(pk=pending.pk, approved=False).exists()


def test_no_redirect_to_other_sites(author_client, pending):
    response = author_client.post(f"/talks/comments/{pending.pk}/approve/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/talks/{pending.post_id}/"


# --- the talk page and the queues -------------------------------------------------------------------------


def test_the_talk_page_shows_pending_comments_and_emails_to_speakers_and_moderators(
    client, reader_client, author_client, moderator_client, talk, pending
):
    for allowed in (author_client, moderator_client):
        content = allowed.get(f"/talks/{talk.pk}/").content.decode()
        assert "Hello" in content and "Waiting for approval" in content
        assert "mailto:ada@example.net" in content
        assert f'action="/talks/comments/{pending.pk}/approve/"' in content
        assert "js/talk-moderation.js" in content
    for other in (client, reader_client):
        content = other.get(f"/talks/{talk.pk}/").content.decode()
        assert "Hello" not in content and "ada@example.net" not in content
        assert "approve/" not in content


def test_published_guest_comments_show_the_name_but_the_email_only_to_those_who_moderate(
    client, author_client, talk
):
    GuestCommentFactory(post=talk.post, guest_name="Ada", guest_email="ada@example.net", approved=True)
    public = client.get(f"/talks/{talk.pk}/").content.decode()
    assert "Ada" in public and "ada@example.net" not in public
    assert "ada@example.net" in author_client.get(f"/talks/{talk.pk}/").content.decode()


def test_the_speakers_queue_lists_their_pending_comments_oldest_first(author_client, talk):
    older = GuestCommentFactory(post=talk.post)
    newer = GuestCommentFactory(post=talk.post)
    GuestCommentFactory()  # on someone else's talk
    CommentFactory(post=talk.post)  # published
    response = author_client.get("/talks/moderate/")
    assert list(response.context["page"]) == [older, newer]
    assert older.guest_email in response.content.decode()


def test_the_moderators_queue_lists_every_pending_comment(moderator_client, reader_client, client):
    comments = [GuestCommentFactory(), GuestCommentFactory()]
    assert list(moderator_client.get("/talks/moderate/all/").context["page"]) == comments
    assert reader_client.get("/talks/moderate/all/").status_code == 403
    assert client.get("/talks/moderate/").status_code == 302


def test_an_empty_queue_says_so(reader_client):
    assert "No comments are waiting for approval." in reader_client.get("/talks/moderate/").content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_queue_query_count_is_fixed(moderator_client, rows, django_assert_num_queries):
    GuestCommentFactory.create_batch(rows)
    moderator_client.get("/talks/moderate/all/")
    # the page's keys, its comments with posts and people, the navbar's count of open reports (its count of
    # comments waiting comes from the cache: talks.services.pending_count)
    # (the session's user is its copy kept in the cache: accounts.backends)
    with django_assert_num_queries(3):
        moderator_client.get("/talks/moderate/all/")


@pytest.mark.parametrize("rows", [1, 30])
def test_the_speakers_queue_query_count_is_fixed(login, talk, rows, django_assert_num_queries):
    GuestCommentFactory.create_batch(rows, post=talk.post)
    speaker = login(talk.speaker)
    speaker.get("/talks/moderate/")
    # the page's keys, its comments with posts and people
    # (the session's user is its copy kept in the cache: accounts.backends)
    with django_assert_num_queries(2):
        response = speaker.get("/talks/moderate/")
    assert len(response.context["page"]) == rows


def test_the_blog_page_of_a_talk_takes_no_comments(reader_client, talk):
    response = reader_client.post(f"/post/{talk.pk}/", {"body": "Through the back door"})
    assert response.status_code == 405
    assert not Comment.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_talk_page_query_count_is_fixed(client, login, talk, rows, django_assert_num_queries):
    CommentFactory.create_batch(rows, post=talk.post)
    GuestCommentFactory.create_batch(rows, post=talk.post)
    # the post with its talk, speaker and counts; a page of the top-level comments (one row more, which tells
    # whether it is the last page); their replies; the top-level comments' count only when a page follows
    # (a visitor sees the members' comments only: one page; the speaker the guests' too: 60, two pages)
    # (+1: the pictures of the page's posts, one query: Post.objects.for_list)
    with django_assert_num_queries(4):
        client.get(f"/talks/{talk.pk}/")
    speaker = login(talk.speaker)
    speaker.get("/")
    # + the speaker's like and bookmark of the post (whether they liked each comment comes with the
    # comments)
    with django_assert_num_queries(6 if rows == 30 else 5):
        speaker.get(f"/talks/{talk.pk}/")


# --- the navbar's count -----------------------------------------------------------------------------------


def test_the_navbar_counts_what_waits_for_the_viewer(
    login, author_client, moderator_client, reader_client, talk
):
    GuestCommentFactory.create_batch(2, post=talk.post)
    GuestCommentFactory()
    speaker_page = author_client.get("/").content.decode()
    assert 'href="/talks/moderate/"' in speaker_page and "data-pending-count>2<" in speaker_page
    moderator_page = moderator_client.get("/").content.decode()
    assert 'href="/talks/moderate/all/"' in moderator_page and "data-pending-count>3<" in moderator_page
    assert "data-pending-count" not in reader_client.get("/").content.decode()


def test_the_navbar_count_costs_strangers_nothing(client, django_assert_num_queries):
    GuestCommentFactory()
    with django_assert_num_queries(2):  # the page's keys and talks, nothing for the navbar
        client.get("/talks/")


def test_the_navbar_count_is_one_query_on_the_pending_index_then_cached(
    login, django_assert_num_queries, draw_pages_afresh
):
    user = UserFactory()
    client = login(user)
    client.get("/talks/")
    CommentFactory()  # a change to the site's data: the count is made again, once
    # the user, the page's keys (none: no talks, so no second query)
    with django_assert_num_queries(3) as captured:
        client.get("/talks/")
    sqls = [query["sql"] for query in captured.captured_queries]  # read now: a request clears the log
    draw_pages_afresh()  # drawn by the view, not the page kept whole (flasky_project.shells)
    # the same but the count, read from the cache, and the user, now its copy kept in the cache
    with django_assert_num_queries(1) as cached:
        client.get("/talks/")
    with django_assert_num_queries(0):  # the page kept whole, the session's user its kept copy: nothing
        client.get("/talks/")
    assert not any(query["sql"].upper().startswith("SELECT COUNT(") for query in cached.captured_queries)
    (count,) = [sql for sql in sqls if sql.upper().startswith("SELECT COUNT(")]
    assert '"blog_comment"' in count and "approved" in count and '"author_id"' in count
