"""Posts: listing (order, pages, links), writing, reading, editing and deleting, with who may do what."""

import pytest

from accounts.models import Role, User
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def test_posts_are_listed_newest_first_20_a_page_with_working_links(client, reader, settings):
    posts = PostFactory.create_batch(45)
    first = client.get("/api/v1/posts/", headers=headers_of(reader)).json()
    assert [item["url"] for item in first["posts"]] == [f"/api/v1/posts/{p.pk}" for p in posts[::-1][:20]]
    assert (first["prev"], first["next"], first["count"]) == (None, "/api/v1/posts/?page=2", 45)
    second = client.get(first["next"], headers=headers_of(reader)).json()
    assert (second["prev"], second["next"]) == ("/api/v1/posts/?page=1", "/api/v1/posts/?page=3")
    third = client.get(second["next"], headers=headers_of(reader)).json()
    assert len(third["posts"]) == 5 and third["next"] is None


def test_the_post_json_has_flaskys_keys_and_iso_timestamps(client, reader):
    post = PostFactory(author=reader, body="*hi*", title="A title")
    CommentFactory.create_batch(2, post=post)
    CommentFactory(post=post, approved=False, author=None, guest_name="Guest")  # pending: not counted
    data = client.get(f"/api/v1/posts/{post.pk}", headers=headers_of(reader)).json()
    assert data == {
        "url": f"/api/v1/posts/{post.pk}",
        "body": "*hi*",
        "body_html": "<p><em>hi</em></p>",
        "timestamp": post.created.isoformat().replace("+00:00", "Z"),
        "author_url": f"/api/v1/users/{reader.pk}",
        "comments_url": f"/api/v1/posts/{post.pk}/comments/",
        "comment_count": 2,
        "title": "A title",
        "talk": None,
        "like_count": 0,
        "liked": False,
        "bookmarked": False,
        "pictures": [],
    }


def test_timestamps_are_utc_whatever_the_reader_s_time_zone(login):
    user = UserFactory(timezone="America/New_York")
    post = PostFactory(author=user)
    data = login(user).get(f"/api/v1/posts/{post.pk}").json()
    assert data["timestamp"].endswith("Z")


def test_writing_a_post_answers_201_with_its_location(client, reader):
    response = send(
        client, "POST", "/api/v1/posts/", {"body": "Hello", "title": "Hi"}, headers=headers_of(reader)
    )
    post = Post.objects.get()
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/posts/{post.pk}"
    assert (post.author, post.body, post.title, post.body_html) == (reader, "Hello", "Hi", "<p>Hello</p>")
    assert response.json()["comment_count"] == 0


def test_markdown_and_html_are_sanitised(client, reader):
    body = "<script>alert(1)</script> [x](javascript:alert(1))"
    response = send(client, "POST", "/api/v1/posts/", {"body": body}, headers=headers_of(reader))
    assert (
        "<script>" not in response.json()["body_html"] and "javascript:" not in response.json()["body_html"]
    )


def test_a_user_without_the_write_permission_cannot_post(client, reader, monkeypatch):
    monkeypatch.setattr(User, "has_perm", lambda self, perm, obj=None: perm != "accounts.write")
    response = send(client, "POST", "/api/v1/posts/", {"body": "Hello"}, headers=headers_of(reader))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert not Post.objects.exists()


def test_the_author_edits_a_post_and_fields_left_out_keep_their_value(client, reader):
    post = PostFactory(author=reader, body="old", title="Title")
    response = send(client, "PUT", f"/api/v1/posts/{post.pk}", {"body": "new"}, headers=headers_of(reader))
    post.refresh_from_db()
    assert response.status_code == 200 and (post.body, post.title) == ("new", "Title")
    response = send(client, "PUT", f"/api/v1/posts/{post.pk}/", {"title": ""}, headers=headers_of(reader))
    post.refresh_from_db()
    assert response.status_code == 200 and (post.body, post.title) == ("new", "")


def test_others_cannot_edit_or_delete_a_post(client, author, reader, moderator):
    post = PostFactory(author=author, body="mine")
    for user in (reader, moderator):
        response = send(
            client, "PUT", f"/api/v1/posts/{post.pk}", {"body": "theirs"}, headers=headers_of(user)
        )
        assert error_of(response) == (403, "forbidden", "Insufficient permissions")
        response = client.delete(f"/api/v1/posts/{post.pk}", headers=headers_of(user))
        assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    post.refresh_from_db()
    assert post.body == "mine"


def test_an_administrator_edits_anyone_s_post(client, author, administrator):
    post = PostFactory(author=author)
    response = send(
        client, "PUT", f"/api/v1/posts/{post.pk}", {"body": "moderated"}, headers=headers_of(administrator)
    )
    post.refresh_from_db()
    assert response.status_code == 200 and post.body == "moderated" and post.author == author


@pytest.mark.parametrize("role", [Role.USER, Role.ADMINISTRATOR])
def test_the_author_or_an_administrator_deletes_a_post_and_its_comments(client, author, role):
    post = PostFactory(author=author)
    CommentFactory(post=post)
    deleter = author if role == Role.USER else UserFactory(role=role)
    response = client.delete(f"/api/v1/posts/{post.pk}/", headers=headers_of(deleter))
    assert response.status_code == 204 and response.content == b""
    assert not Post.objects.exists() and not Comment.objects.exists()
    assert error_of(client.get(f"/api/v1/posts/{post.pk}", headers=headers_of(author)))[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts",
        "/api/v1/posts/",
        "/api/v1/posts/{pk}",
        "/api/v1/posts/{pk}/",
        "/api/v1/posts/{pk}/comments",
    ],
)
def test_every_path_answers_with_and_without_the_trailing_slash(client, reader, path):
    post = PostFactory()
    response = client.get(path.format(pk=post.pk), headers=headers_of(reader))
    assert response.status_code == 200


def test_a_post_without_trailing_slash_is_not_redirected(client, reader):
    response = send(client, "POST", "/api/v1/posts", {"body": "no slash"}, headers=headers_of(reader))
    assert response.status_code == 201 and Post.objects.get().body == "no slash"


def test_a_talk_keeps_its_title(client, author):
    talk = TalkFactory(post__author=author, post__title="My talk")
    response = client.put(
        f"/api/v1/posts/{talk.post.pk}",
        {"title": ""},
        content_type="application/json",
        headers=headers_of(author),
    )
    assert response.status_code == 400
    assert response.json()["message"] == "title: A talk needs a title."
    talk.post.refresh_from_db()
    assert talk.post.title == "My talk"


def test_head_of_someone_else_s_post_is_allowed_like_get(client, reader):
    post = PostFactory()
    response = client.head(f"/api/v1/posts/{post.pk}", headers=api_headers(reader.email, PASSWORD))
    assert response.status_code == 200
