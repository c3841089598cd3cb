"""Every list runs a fixed number of queries, whatever its page size: one COUNT, the page's keys and its
rows, plus the credentials — never one per listed item (the reader's permissions come from their role, no
query)."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers
from blog.models import Post, PostPicture
from blog.tests.factories import CommentFactory, PostFactory
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db

# (path, queries, how to fill one page):
# queries = credentials + [object] + COUNT + the page's keys + its rows (lists of posts read the caller's
# likes and bookmarks in the rows' query, and their pictures in one more query only when a post of the page
# has some: api.post_cache.post_page_response).
LISTS = {
    "posts": ("/api/v1/posts/", 4, lambda user, n: PostFactory.create_batch(n)),
    "user_posts": (
        "/api/v1/users/{user}/posts/",
        5,
        lambda user, n: PostFactory.create_batch(n, author=user),
    ),
    # (+1: whether the user follows any tag, which decides the Followed timeline's query)
    "timeline": ("/api/v1/users/{user}/timeline/", 6, lambda user, n: _followed_posts(user, n)),
    "comments": ("/api/v1/comments/", 4, lambda user, n: _comments(n)),
    "post_comments": ("/api/v1/posts/{post}/comments/", 5, lambda user, n: _comments(n, post=user.post)),
    "followers": ("/api/v1/users/{user}/followers/", 5, lambda user, n: _follows(n, followed=user)),
    "following": ("/api/v1/users/{user}/following/", 5, lambda user, n: _follows(n, follower=user)),
}
FULL = {"posts": 20, "user_posts": 20, "timeline": 20, "comments": 30, "post_comments": 30}


def _followed_posts(user, n):
    for author in UserFactory.create_batch(n):
        FollowFactory(follower=user, followed=author)
        PostFactory(author=author)


def _comments(n, post=None):
    # Each on a post by a different author, by a different commenter: nothing shared to cache; disabled,
    # so that each one asks whether the reader may moderate it (answered from the role, no query).
    for _ in range(n):
        CommentFactory(post=post or PostFactory(), disabled=True)


def _follows(n, **side):
    for other in UserFactory.create_batch(n):
        PostFactory(author=other)
        pair = {"follower": other, **side} if "followed" in side else {"followed": other, **side}
        FollowFactory(**pair)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_one_item_and_a_full_page(client, name, django_assert_num_queries):
    path, queries, fill = LISTS[name]
    user = UserFactory()
    user.post = PostFactory(author=UserFactory())
    headers = api_headers(user.email, PASSWORD)
    url = path.format(user=user.pk, post=user.post.pk)
    fill(user, 1)
    with django_assert_num_queries(queries):
        first = client.get(url, headers=headers).json()
    fill(user, FULL.get(name, 50) + 5)
    cache.delete_many(
        ["counts:posts", "counts:comments"]
    )  # the lists of everything keep their count a minute
    with django_assert_num_queries(queries):
        full = client.get(url, headers=headers).json()
    key = next(iter(first))
    assert len(first[key]) >= 1 and len(full[key]) == FULL.get(name, 50)


@pytest.mark.parametrize(("path", "model"), [("/api/v1/posts/", "posts"), ("/api/v1/comments/", "comments")])
def test_the_lists_of_everything_count_at_most_once_a_minute(
    client, reader, path, model, django_assert_num_queries
):
    # At a million rows a COUNT costs a tenth of a second: the total is shared through the cache.
    PostFactory.create_batch(3) if model == "posts" else _comments(3)
    headers = api_headers(reader.email, PASSWORD)
    assert client.get(path, headers=headers).json()["count"] == 3
    Post.objects.first().delete()  # (its comments with it)
    queries = LISTS[model][1] - 1
    with django_assert_num_queries(queries):
        page = client.get(path, headers=headers).json()
    assert page["count"] == 3 and len(page[model]) == 2  # the count a minute old; the list as it is
    cache.delete(f"counts:{model}")
    assert client.get(path, headers=headers).json()["count"] == 2


@pytest.mark.parametrize(("path", "key"), [("/api/v1/posts/", "posts"), ("/api/v1/comments/", "comments")])
def test_items_added_after_the_count_was_cached_are_listed_at_once(client, reader, path, key):
    # The cached count may be shown a minute old, but never cuts a page short: 0 cached, a page and more
    # created.
    headers = api_headers(reader.email, PASSWORD)
    assert client.get(path, headers=headers).json() == {key: [], "prev": None, "next": None, "count": 0}
    per_page = FULL[key]
    PostFactory.create_batch(per_page + 5) if key == "posts" else _comments(per_page + 5)
    first = client.get(path, headers=headers).json()
    assert len(first[key]) == per_page
    assert first["next"] == f"{path}?page=2"
    assert first["count"] >= per_page + 1  # at least what is known to exist, never less
    last = client.get(first["next"], headers=headers).json()
    assert len(last[key]) == 5 and last["next"] is None


def test_a_cached_count_that_is_too_high_does_not_invent_pages(client, reader):
    PostFactory.create_batch(25)
    headers = api_headers(reader.email, PASSWORD)
    assert client.get("/api/v1/posts/?page=2", headers=headers).status_code == 200
    Post.objects.filter(pk__in=Post.objects.values("pk")[:10]).delete()
    page = client.get("/api/v1/posts/", headers=headers).json()
    assert page["next"] is None and len(page["posts"]) == 15
    assert client.get("/api/v1/posts/?page=2", headers=headers).status_code == 404


@pytest.mark.parametrize("pictured", [1, 20])
def test_the_pictures_of_a_page_of_posts_cost_one_query(client, reader, pictured, django_assert_num_queries):
    posts = PostFactory.create_batch(20)
    for post in posts[:pictured]:
        for position in range(4):
            PostPicture.objects.create(
                post=post,
                position=position,
                image=f"posts/{post.pk}-{position}.webp",
                thumbnail=f"posts/{post.pk}-{position}-thumb.webp",
                width=800,
                height=600,
                thumbnail_width=400,
                thumbnail_height=300,
                alt=f"Picture {position}",
            )
    headers = api_headers(reader.email, PASSWORD)
    client.get("/api/v1/posts/", headers=headers)  # (the count is cached from here on)
    # The credentials, the page's keys, its rows and the pictures of its posts (the count is cached).
    with django_assert_num_queries(4):
        page = client.get("/api/v1/posts/", headers=headers).json()
    shown = [len(post["pictures"]) for post in page["posts"]]
    assert sorted(shown) == [0] * (20 - pictured) + [4] * pictured
