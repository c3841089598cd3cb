"""Likes and bookmarks in the API: POST and DELETE on a post's like and bookmark, the caller's bookmarks, and
each post's like_count, liked and bookmarked in fixed queries."""

import pytest
from django.db.models import Q

import blog.models
from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers
from blog.models import Bookmark, Like
from blog.tests.factories import BookmarkFactory, LikeFactory, PostFactory

pytestmark = pytest.mark.django_db


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def test_liking_and_unliking_a_post(client, reader):
    post = PostFactory()
    LikeFactory(post=post)
    response = client.post(f"/api/v1/posts/{post.pk}/like", headers=headers_of(reader))
    assert response.status_code == 200
    assert (response.json()["like_count"], response.json()["liked"]) == (2, True)
    again = client.post(f"/api/v1/posts/{post.pk}/like", headers=headers_of(reader))
    assert (again.json()["like_count"], again.json()["liked"]) == (2, True)
    assert Like.objects.filter(post=post, user=reader).count() == 1
    response = client.delete(f"/api/v1/posts/{post.pk}/like", headers=headers_of(reader))
    assert (response.json()["like_count"], response.json()["liked"]) == (1, False)
    assert client.delete(f"/api/v1/posts/{post.pk}/like", headers=headers_of(reader)).status_code == 200
    assert not Like.objects.filter(user=reader).exists()


def test_liking_an_unknown_or_hidden_post_is_a_404(client, reader, monkeypatch):
    post = PostFactory()
    assert client.post("/api/v1/posts/999999/like", headers=headers_of(reader)).status_code == 404
    monkeypatch.setattr(blog.models, "post_visibility", lambda viewer, via="": ~Q(**{f"{via}pk": post.pk}))
    response = client.post(f"/api/v1/posts/{post.pk}/like", headers=headers_of(reader))
    assert response.status_code == 404
    assert response.json()["message"] == f"There is no post {post.pk}."
    assert client.post(f"/api/v1/posts/{post.pk}/bookmark", headers=headers_of(reader)).status_code == 404
    assert not Like.objects.exists() and not Bookmark.objects.exists()


def test_liking_needs_credentials(client):
    post = PostFactory()
    assert client.post(f"/api/v1/posts/{post.pk}/like").status_code == 401
    assert not Like.objects.exists()


def test_bookmarking_and_the_bookmarks_list(client, reader):
    first, second = PostFactory(), PostFactory()
    response = client.post(f"/api/v1/posts/{second.pk}/bookmark", headers=headers_of(reader))
    assert response.json()["bookmarked"] is True
    client.post(f"/api/v1/posts/{first.pk}/bookmark", headers=headers_of(reader))
    client.post(f"/api/v1/posts/{first.pk}/bookmark", headers=headers_of(reader))  # twice: harmless
    BookmarkFactory(post=PostFactory())  # someone else's
    data = client.get("/api/v1/bookmarks/", headers=headers_of(reader)).json()
    assert [post["url"] for post in data["posts"]] == [
        f"/api/v1/posts/{first.pk}",
        f"/api/v1/posts/{second.pk}",
    ]
    assert data["count"] == 2 and all(post["bookmarked"] for post in data["posts"])
    response = client.delete(f"/api/v1/posts/{first.pk}/bookmark", headers=headers_of(reader))
    assert response.json()["bookmarked"] is False
    assert list(Bookmark.objects.filter(user=reader).values_list("post", flat=True)) == [second.pk]


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # credentials, keys, rows with the caller's likes and bookmarks (count: cached; no pictures)
        ("/api/v1/posts/", 3),
        ("/api/v1/bookmarks/", 4),  # credentials, COUNT, keys, rows with likes and bookmarks
        # credentials, the newest id, the ranked matches, rows (no pictures), likes and bookmarks (a caller
        # by password carries no visibility facts, so its results are not kept: blog.search._hits)
        ("/api/v1/search/?q=marathon", 5),
    ],
)
def test_a_full_page_of_liked_and_bookmarked_posts_in_fixed_queries(
    client, reader, path, queries, django_assert_num_queries
):
    for post in PostFactory.create_batch(20, body="Marathon notes"):
        LikeFactory(post=post, user=reader)
        LikeFactory(post=post)
        BookmarkFactory(post=post, user=reader)
    client.get(path, headers=headers_of(reader))
    with django_assert_num_queries(queries):
        posts = client.get(path, headers=headers_of(reader)).json()["posts"]
    assert len(posts) == 20
    assert {(post["like_count"], post["liked"], post["bookmarked"]) for post in posts} == {(2, True, True)}
