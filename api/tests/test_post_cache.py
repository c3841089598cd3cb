"""Lists of posts come from each post's cached JSON (api.post_cache): the same JSON PostSerializer writes,
with the caller's own likes and bookmarks, and every change to a post shows on the next request."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import PASSWORD, UserFactory
from api import post_cache
from api.serializers import PostSerializer
from api.tests.helpers import api_headers
from blog import services
from blog.models import Moderation, Post, PostPicture
from blog.tests.factories import BookmarkFactory, CommentFactory, LikeFactory, PostFactory
from blog.tests.factories import stored_picture as picture
from talks.services import edit_talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def posts_of(client, user, path="/api/v1/posts/"):
    response = client.get(path, headers=api_headers(user.email, PASSWORD))
    assert response.status_code == 200
    return {item["url"]: item for item in response.json()["posts"]}


def only_post(client, user, post):
    return posts_of(client, user)[f"/api/v1/posts/{post.pk}"]


def test_the_cached_part_is_all_but_the_last_keys_of_a_post():
    assert list(PostSerializer().fields)[-len(post_cache.PER_REQUEST) :] == list(post_cache.PER_REQUEST)


def unsigned(post):
    """``post`` with its pictures' addresses (the picture's and its thumbnail's) without their query: on S3
    (MEDIA_STORAGE=s3) each address is signed with an expiry time counted from when it was written, so two
    writes a second apart differ."""
    pictures = [
        {**item, **{key: item[key].split("?")[0] for key in ("url", "thumbnail_url") if item.get(key)}}
        for item in post.get("pictures") or []
    ]
    return {**post, "pictures": pictures} if "pictures" in post else post


def test_a_page_from_the_cache_is_what_the_serializer_writes(rf, client, reader):
    plain = PostFactory(title="Plain")
    talk = TalkFactory(venue="Lisbon").post
    with_picture = PostFactory(body="With a picture, *emphasis* and ünïcödé")
    picture(with_picture)
    LikeFactory(user=reader, post=plain)
    BookmarkFactory(user=reader, post=talk)
    CommentFactory(post=plain)
    first = posts_of(client, reader)
    second = posts_of(client, reader)
    request = rf.get("/api/v1/posts/")
    request.user = reader
    for post in Post.objects.for_list():
        expected = PostSerializer(post, context={"request": request}).data
        url = expected["url"]
        assert unsigned(first[url]) == unsigned(second[url]) == unsigned(expected)
        assert list(second[url]) == list(expected)  # the keys in Flasky's order
    assert second[f"/api/v1/posts/{plain.pk}"]["liked"] is True
    assert second[f"/api/v1/posts/{talk.pk}"]["bookmarked"] is True
    assert second[f"/api/v1/posts/{talk.pk}"]["talk"]["venue"] == "Lisbon"


def test_a_second_request_serializes_nothing(client, reader, serialized):
    posts = PostFactory.create_batch(3)
    posts_of(client, reader)
    assert sorted(serialized) == sorted(post.pk for post in posts)
    posts_of(client, reader)
    assert len(serialized) == 3


def test_the_callers_likes_and_bookmarks_are_their_own(client, reader, author, serialized):
    post = PostFactory()
    LikeFactory(user=reader, post=post)
    BookmarkFactory(user=reader, post=post)
    mine = only_post(client, reader, post)
    theirs = only_post(client, author, post)
    assert (mine["liked"], mine["bookmarked"]) == (True, True)
    assert (theirs["liked"], theirs["bookmarked"]) == (False, False)
    assert serialized == [post.pk]  # one entry serves both callers


def test_an_edit_shows_at_once(client, reader, author):
    post = PostFactory(author=author, body="before")
    only_post(client, reader, post)
    services.edit_post(post, body="after **edit**")
    shown = only_post(client, reader, post)
    assert shown["body"] == "after **edit**"
    assert "<strong>edit</strong>" in shown["body_html"]


def test_a_like_shows_at_once(client, reader, author):
    post = PostFactory()
    assert only_post(client, reader, post)["like_count"] == 0
    services.like(user=author, post=post)
    assert only_post(client, reader, post)["like_count"] == 1


def test_a_comment_and_its_disabling_show_at_once(client, reader):
    post = PostFactory()
    only_post(client, reader, post)
    comment = CommentFactory(post=post)
    assert only_post(client, reader, post)["comment_count"] == 1
    comment.moderation = Moderation.HIDDEN
    comment.save()
    assert only_post(client, reader, post)["comment_count"] == 0


def test_a_talk_s_new_details_show_at_once(client, reader):
    talk = TalkFactory(venue="Lisbon")
    only_post(client, reader, talk.post)
    edit_talk(talk, title=talk.post.title, body=talk.post.body, venue="Porto")
    assert only_post(client, reader, talk.post)["talk"]["venue"] == "Porto"


def test_a_picture_s_new_alt_text_shows_at_once(client, reader):
    post = PostFactory()
    shown = picture(post, alt="A cat")
    assert [p["alt"] for p in only_post(client, reader, post)["pictures"]] == ["A cat"]
    PostPicture.objects.filter(pk=shown.pk).update(alt="A dog")
    assert [p["alt"] for p in only_post(client, reader, post)["pictures"]] == ["A dog"]


def test_a_hidden_post_leaves_the_list_at_once(client, reader):
    post = PostFactory()
    only_post(client, reader, post)
    Post.objects.filter(pk=post.pk).update(moderation=Moderation.HIDDEN)
    assert f"/api/v1/posts/{post.pk}" not in posts_of(client, reader)


def test_the_user_s_posts_and_the_tag_lists_share_the_entries(client, reader, author, serialized):
    post = PostFactory(author=author, body="About #python")
    posts_of(client, reader)
    posts_of(client, reader, f"/api/v1/users/{author.pk}/posts/")
    posts_of(client, reader, "/api/v1/tags/python/posts/")
    assert serialized == [post.pk]


def test_without_the_cache_the_list_is_the_same(client, reader, settings):
    PostFactory.create_batch(2)
    cached = posts_of(client, reader)
    cache.clear()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert posts_of(client, UserFactory(confirmed=True)) == {
        url: {**item, "liked": False, "bookmarked": False} for url, item in cached.items()
    }
