"""Comments: all of them, one, a post's, writing one, and moderating them by API."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.models import Comment
from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def test_a_comment_s_json(client, reader, author):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, author=reader, body="Nice *one*")
    data = client.get(f"/api/v1/comments/{comment.pk}", headers=headers_of(author)).json()
    assert data == {
        "url": f"/api/v1/comments/{comment.pk}",
        "post_url": f"/api/v1/posts/{post.pk}",
        "body": "Nice *one*",
        "body_html": "Nice <em>one</em>",
        "timestamp": comment.created.isoformat().replace("+00:00", "Z"),
        "author_url": f"/api/v1/users/{reader.pk}",
        "disabled": False,
        "disabled_notice": None,
        "in_reply_to": None,
        "edited": None,
        "deleted": False,
    }


def test_all_comments_newest_first_30_a_page(client, reader):
    comments = CommentFactory.create_batch(31)
    data = client.get("/api/v1/comments/", headers=headers_of(reader)).json()
    assert [c["url"] for c in data["comments"]] == [f"/api/v1/comments/{c.pk}" for c in comments[::-1][:30]]
    assert (data["count"], data["next"]) == (31, "/api/v1/comments/?page=2")


def test_a_post_s_comments_oldest_first(client, reader):
    post = PostFactory()
    comments = CommentFactory.create_batch(3, post=post)
    CommentFactory()  # on another post
    data = client.get(f"/api/v1/posts/{post.pk}/comments/", headers=headers_of(reader)).json()
    assert [c["url"] for c in data["comments"]] == [f"/api/v1/comments/{c.pk}" for c in comments]


def test_guests_pending_comments_are_not_shown(client, reader):
    pending = CommentFactory(author=None, guest_name="Guest", guest_email="g@example.com", approved=False)
    assert client.get("/api/v1/comments/", headers=headers_of(reader)).json()["count"] == 0
    assert client.get(f"/api/v1/comments/{pending.pk}", headers=headers_of(reader)).status_code == 404


def test_a_guest_s_approved_comment_has_no_author_url(client, reader):
    comment = CommentFactory(author=None, guest_name="Guest", guest_email="g@example.com")
    assert (
        client.get(f"/api/v1/comments/{comment.pk}", headers=headers_of(reader)).json()["author_url"] is None
    )


def test_commenting_tells_the_post_s_author(client, reader, author, mailoutbox):
    post = PostFactory(author=author)
    response = send(
        client,
        "POST",
        f"/api/v1/posts/{post.pk}/comments",
        {"body": "Hi", "notify": True},
        headers=headers_of(reader),
    )
    comment = Comment.objects.get()
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/comments/{comment.pk}"
    assert (comment.author, comment.post, comment.body) == (reader, post, "Hi")
    assert [m.to for m in mailoutbox] == [[author.email]]


def test_commenting_needs_the_comment_permission(client, reader, monkeypatch):
    post = PostFactory()
    monkeypatch.setattr(User, "has_perm", lambda self, perm, obj=None: perm != "accounts.comment")
    response = send(
        client, "POST", f"/api/v1/posts/{post.pk}/comments/", {"body": "Hi"}, headers=headers_of(reader)
    )
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["moderator", "post_author"])
def test_moderators_and_the_post_s_author_disable_and_enable_comments(client, author, moderator, who):
    comment = CommentFactory(post=PostFactory(author=author))
    user = moderator if who == "moderator" else author
    response = client.post(f"/api/v1/comments/{comment.pk}/disable", headers=headers_of(user))
    comment.refresh_from_db()
    assert response.status_code == 200 and response.json()["disabled"] is True and comment.disabled
    assert response.json()["body"] == comment.body  # they still see the text
    response = client.post(f"/api/v1/comments/{comment.pk}/enable/", headers=headers_of(user))
    comment.refresh_from_db()
    assert response.json()["disabled"] is False and not comment.disabled


def test_others_cannot_moderate(client, reader):
    comment = CommentFactory(author=reader)  # even their own comment, on someone else's post
    response = client.post(f"/api/v1/comments/{comment.pk}/disable", headers=headers_of(reader))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    comment.refresh_from_db()
    assert not comment.disabled


def test_a_disabled_comment_s_text_is_hidden_from_others(client, reader, author, moderator):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, body="rude", disabled=True)
    for user, visible in ((reader, False), (author, True), (moderator, True)):
        listed = client.get(f"/api/v1/posts/{post.pk}/comments/", headers=headers_of(user)).json()[
            "comments"
        ][0]
        single = client.get(f"/api/v1/comments/{comment.pk}", headers=headers_of(user)).json()
        for data in (listed, single):
            assert data["disabled"] is True
            assert (data["body"], data["body_html"]) == (("rude", "rude") if visible else ("", ""))


def test_a_disabled_comment_carries_the_sites_notice_in_the_callers_language(client, reader, author):
    comment = CommentFactory(post=PostFactory(author=author), body="rude", disabled=True)
    for user in (reader, author):
        data = client.get(f"/api/v1/comments/{comment.pk}", headers=headers_of(user)).json()
        assert data["disabled_notice"] == "This comment has been disabled by a moderator."
    spanish = client.get(
        f"/api/v1/comments/{comment.pk}", headers={**headers_of(reader), "Accept-Language": "es"}
    ).json()
    assert spanish["disabled_notice"] == "Un moderador ha desactivado este comentario."


def test_the_newest_comments_list_hides_disabled_text_too(client, reader):
    CommentFactory(body="rude", disabled=True, post=PostFactory(author=UserFactory()))
    data = client.get("/api/v1/comments/", headers=headers_of(reader)).json()
    assert data["comments"][0]["body"] == ""


# --- guests' comments on talks: approving and deleting (speakers and moderators) ----------------------------


@pytest.fixture
def waiting(author):
    post = PostFactory(author=author)
    return CommentFactory(
        post=post, author=None, guest_name="Gus", guest_email="gus@example.com", approved=False
    )


def test_the_speaker_approves_a_waiting_comment(client, author, waiting):
    response = client.post(
        f"/api/v1/comments/{waiting.pk}/approve", headers=api_headers(author.email, PASSWORD)
    )
    assert response.status_code == 200 and response.json()["url"] == f"/api/v1/comments/{waiting.pk}"
    waiting.refresh_from_db()
    assert waiting.approved and waiting.approved_by == author


def test_approving_twice_is_a_400(client, author, waiting):
    client.post(f"/api/v1/comments/{waiting.pk}/approve", headers=api_headers(author.email, PASSWORD))
    response = client.post(
        f"/api/v1/comments/{waiting.pk}/approve", headers=api_headers(author.email, PASSWORD)
    )
    assert response.status_code == 400 and response.json()["message"] == "Comment is already approved."


def test_others_do_not_even_see_a_waiting_comment(client, reader, waiting):
    headers = api_headers(reader.email, PASSWORD)
    assert client.post(f"/api/v1/comments/{waiting.pk}/approve", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/comments/{waiting.pk}", headers=headers).status_code == 404
    assert Comment.objects.filter(pk=waiting.pk, approved=False).exists()


def test_moderators_delete_a_waiting_comment(client, moderator, waiting):
    response = client.delete(f"/api/v1/comments/{waiting.pk}", headers=api_headers(moderator.email, PASSWORD))
    assert response.status_code == 204
    assert not Comment.objects.filter(pk=waiting.pk).exists()


def test_a_published_comment_is_deleted_by_a_moderator_not_by_others(client, reader, moderator):
    comment = CommentFactory()
    response = client.delete(f"/api/v1/comments/{comment.pk}", headers=api_headers(reader.email, PASSWORD))
    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()
    response = client.delete(f"/api/v1/comments/{comment.pk}", headers=api_headers(moderator.email, PASSWORD))
    assert response.status_code == 204
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_browser_session_approves_with_its_csrf_token(author, waiting):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    assert browser.post(f"/api/v1/comments/{waiting.pk}/approve").status_code == 403  # no CSRF token
    browser.get("/")  # the page sets the CSRF cookie, as in a browser
    token = browser.cookies["csrftoken"].value
    # fetch() with no body sends no Content-Type; the test client's equivalent is an empty JSON body.
    response = browser.post(
        f"/api/v1/comments/{waiting.pk}/approve",
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_others_cannot_enable_either(client, reader):
    comment = CommentFactory(disabled=True)
    response = client.post(f"/api/v1/comments/{comment.pk}/enable", headers=headers_of(reader))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    comment.refresh_from_db()
    assert comment.disabled


@pytest.mark.parametrize("action", ["disable", "enable"])
def test_a_waiting_comment_is_approved_or_deleted_not_disabled(client, author, waiting, action):
    response = client.post(f"/api/v1/comments/{waiting.pk}/{action}", headers=headers_of(author))
    assert error_of(response)[:2] == (404, "not found")
    waiting.refresh_from_db()
    assert not waiting.disabled and not waiting.approved


def test_the_speaker_deletes_a_waiting_comment(client, author, waiting):
    response = client.delete(f"/api/v1/comments/{waiting.pk}", headers=headers_of(author))
    assert response.status_code == 204
    assert not Comment.objects.filter(pk=waiting.pk).exists()


def test_a_reader_cannot_delete_a_published_comment(client, reader):
    comment = CommentFactory()
    response = client.delete(f"/api/v1/comments/{comment.pk}", headers=headers_of(reader))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert Comment.objects.filter(pk=comment.pk).exists()
