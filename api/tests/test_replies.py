"""Replies, edits and deletions of comments in the API."""

import pytest

from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers
from blog.models import Comment
from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def test_api_reply(client, reader):
    top = CommentFactory()
    response = client.post(
        f"/api/v1/posts/{top.post_id}/comments/",
        {"body": "Yes", "in_reply_to": top.pk},
        content_type="application/json",
        headers=headers_of(reader),
    )
    assert response.status_code == 201
    assert response.json()["in_reply_to"] == f"/api/v1/comments/{top.pk}"
    assert Comment.objects.get(author=reader).in_reply_to == top


def test_api_reply_to_a_comment_on_another_post_is_a_400(client, reader):
    other = CommentFactory()
    response = client.post(
        f"/api/v1/posts/{PostFactory().pk}/comments/",
        {"body": "Yes", "in_reply_to": other.pk},
        content_type="application/json",
        headers=headers_of(reader),
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_api_reply_to_an_unknown_comment_is_a_404(client, reader):
    response = client.post(
        f"/api/v1/posts/{PostFactory().pk}/comments/",
        {"body": "Yes", "in_reply_to": 999999},
        content_type="application/json",
        headers=headers_of(reader),
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_api_edit_by_the_author_only(client, reader, author):
    comment = CommentFactory(author=reader, body="Old")
    url = f"/api/v1/comments/{comment.pk}"
    response = client.put(url, {"body": "Other"}, content_type="application/json", headers=headers_of(author))
    assert response.status_code == 403
    response = client.put(url, {"body": "New"}, content_type="application/json", headers=headers_of(reader))
    assert response.status_code == 200
    assert response.json()["body"] == "New" and response.json()["edited"]
    comment.refresh_from_db()
    assert (comment.body, comment.previous_body) == ("New", "Old")


def test_api_delete_by_the_post_author(client, author):
    comment = CommentFactory(post=PostFactory(author=author))
    assert client.delete(f"/api/v1/comments/{comment.pk}", headers=headers_of(author)).status_code == 204
    assert not Comment.objects.exists()
