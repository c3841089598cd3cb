"""Flasky's own API tests (tests/test_api.py of the book's repository), ported: T-50 to T-58."""

import re

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, send
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

HOST = "http://testserver"  # Flasky's tests run on http://localhost


@pytest.fixture
def john():
    return UserFactory(email="john@example.com", username="john")


@pytest.fixture
def susan():
    return UserFactory(email="susan@example.com", username="susan")


def john_headers():
    return api_headers("john@example.com", PASSWORD)


def test_404(client):
    response = client.get("/wrong/url", headers=api_headers("email", "password"))
    assert response.status_code == 404
    assert response.json()["error"] == "not found"


def test_no_auth(client):
    response = client.get("/api/v1/posts/", content_type="application/json")
    assert response.status_code == 401


def test_bad_auth(client, john):
    response = client.get("/api/v1/posts/", headers=api_headers("john@example.com", "dog"))
    assert response.status_code == 401


def test_token_auth(client, john):
    response = client.get("/api/v1/posts/", headers=api_headers("bad-token", ""))
    assert response.status_code == 401

    response = client.post("/api/v1/tokens/", headers=john_headers())
    assert response.status_code == 200
    token = response.json()["token"]
    assert token and response.json()["expiration"] == 3600

    response = client.get("/api/v1/posts/", headers=api_headers(token, ""))
    assert response.status_code == 200


def test_anonymous(client):
    response = client.get("/api/v1/posts/", headers=api_headers("", ""))
    assert response.status_code == 401


def test_unconfirmed_account(client):
    UserFactory(email="john@example.com", username="john", confirmed=False)
    response = client.get("/api/v1/posts/", headers=john_headers())
    assert response.status_code == 403


def test_posts(client, john):
    response = send(client, "POST", "/api/v1/posts/", {"body": ""}, headers=john_headers())
    assert response.status_code == 400

    response = send(
        client, "POST", "/api/v1/posts/", {"body": "body of the *blog* post"}, headers=john_headers()
    )
    assert response.status_code == 201
    url = response["Location"]
    assert url

    response = client.get(url, headers=john_headers())
    assert response.status_code == 200
    json_post = response.json()
    assert HOST + json_post["url"] == url
    assert json_post["body"] == "body of the *blog* post"
    assert json_post["body_html"] == "<p>body of the <em>blog</em> post</p>"

    response = client.get(f"/api/v1/users/{john.pk}/posts/", headers=john_headers())
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["posts"][0] == json_post

    response = client.get(f"/api/v1/users/{john.pk}/timeline/", headers=john_headers())
    assert response.status_code == 200
    assert response.json()["count"] == 1  # the user's own posts are in their timeline
    assert response.json()["posts"][0] == json_post

    response = send(client, "PUT", url, {"body": "updated body"}, headers=john_headers())
    assert response.status_code == 200
    assert HOST + response.json()["url"] == url
    assert response.json()["body"] == "updated body"
    assert response.json()["body_html"] == "<p>updated body</p>"


def test_users(client, john, susan):
    response = client.get(f"/api/v1/users/{john.pk}", headers=api_headers("susan@example.com", PASSWORD))
    assert response.status_code == 200
    assert response.json()["username"] == "john"
    response = client.get(f"/api/v1/users/{susan.pk}", headers=api_headers("susan@example.com", PASSWORD))
    assert response.status_code == 200
    assert response.json()["username"] == "susan"


def test_comments(client, john, susan):
    post = PostFactory(author=john, body="body of the post")
    susan_headers = api_headers("susan@example.com", PASSWORD)

    response = send(
        client,
        "POST",
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "Good [post](http://example.com)!"},
        headers=susan_headers,
    )
    assert response.status_code == 201
    url = response["Location"]
    assert url
    assert response.json()["body"] == "Good [post](http://example.com)!"
    assert re.sub("<.*?>", "", response.json()["body_html"]) == "Good post!"

    response = client.get(url, headers=john_headers())
    assert response.status_code == 200
    assert HOST + response.json()["url"] == url
    assert response.json()["body"] == "Good [post](http://example.com)!"

    response = send(
        client, "POST", f"/api/v1/posts/{post.pk}/comments/", {"body": "Thank you!"}, headers=john_headers()
    )
    assert response.status_code == 201

    response = client.get(f"/api/v1/posts/{post.pk}/comments/", headers=susan_headers)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert len(response.json()["comments"]) == 2


def test_to_json_keys_are_flaskys(client, john):
    """T-30: the user JSON has Flasky's keys (and ours after them), with Flasky's paths."""
    data = client.get(f"/api/v1/users/{john.pk}", headers=john_headers()).json()
    flasky = {"url", "username", "member_since", "last_seen", "posts_url", "followed_posts_url", "post_count"}
    assert flasky <= set(data)
    assert data["url"] == f"/api/v1/users/{john.pk}"
    assert data["posts_url"] == f"/api/v1/users/{john.pk}/posts/"
    assert data["followed_posts_url"] == f"/api/v1/users/{john.pk}/timeline/"
