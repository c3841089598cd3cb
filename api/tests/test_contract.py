"""Contract tests: each endpoint's answers (successes and errors) have the shape, status and headers the
OpenAPI schema documents — the schema is what clients are told, so it must not lie."""

import pytest
from jsonschema import ValidationError

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.contract import assert_conforms, openapi
from api.tests.helpers import api_headers, send
from blog.tests.factories import CommentFactory, PostFactory
from social.services import follow
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reader, author, moderator):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, author=reader)
    CommentFactory(post=post, author=None, guest_name="Guest", guest_email="g@example.com")
    pending = CommentFactory(
        post=post, author=None, guest_name="Guest", guest_email="g@example.com", approved=False
    )
    CommentFactory(post=post, disabled=True)
    follow(follower=reader, followed=author)  # a notification for the author
    talk = TalkFactory(post__author=author, video_url="https://vimeo.com/1")
    return {
        "talk": talk.pk,
        "post": post.pk,
        "comment": comment.pk,
        "author": author.pk,
        "reader": reader.pk,
        "pending": pending.pk,
    }


def as_user(user):
    return api_headers(user.email, PASSWORD)


REPLY = {"body": "Thanks", "in_reply_to": "{comment}"}  # (the world's ids are filled in)
TALK = {"title": "A talk", "body": "Abstract", "date": "2030-05-04T18:00:00Z", "venue": "Madrid"}

# (method, documented path, concrete path, JSON body, who) for every operation and its usual answers.
CASES = [
    ("GET", "/api/v1/posts/", "/api/v1/posts/", None, "reader"),
    ("GET", "/api/v1/posts/", "/api/v1/posts/?page=9", None, "reader"),
    ("GET", "/api/v1/posts/", "/api/v1/posts/", None, None),
    ("GET", "/api/v1/posts/", "/api/v1/posts/", None, "unconfirmed"),
    ("POST", "/api/v1/posts/", "/api/v1/posts/", {"body": "new"}, "reader"),
    ("POST", "/api/v1/posts/", "/api/v1/posts/", {"body": ""}, "reader"),
    ("GET", "/api/v1/posts/{id}", "/api/v1/posts/{post}", None, "reader"),
    ("GET", "/api/v1/posts/{id}", "/api/v1/posts/0", None, "reader"),
    ("PUT", "/api/v1/posts/{id}", "/api/v1/posts/{post}", {"body": "edited"}, "author"),
    ("PUT", "/api/v1/posts/{id}", "/api/v1/posts/{post}", {"body": "edited"}, "reader"),
    ("PUT", "/api/v1/posts/{id}", "/api/v1/posts/{post}", {"nope": 1}, "author"),
    ("DELETE", "/api/v1/posts/{id}", "/api/v1/posts/{post}", None, "reader"),
    ("GET", "/api/v1/posts/{id}/comments/", "/api/v1/posts/{post}/comments/", None, "reader"),
    ("GET", "/api/v1/posts/{id}/comments/", "/api/v1/posts/{post}/comments/", None, "author"),
    ("POST", "/api/v1/posts/{id}/comments/", "/api/v1/posts/{post}/comments/", {"body": "hi"}, "reader"),
    (
        "POST",
        "/api/v1/posts/{id}/comments/",
        "/api/v1/posts/{post}/comments/",
        {"body": "x" * 5001},
        "reader",
    ),
    ("GET", "/api/v1/users/", "/api/v1/users/?q=auth", None, "reader"),
    ("GET", "/api/v1/users/", "/api/v1/users/?q=nobody&page=2", None, "reader"),
    ("GET", "/api/v1/users/{id}", "/api/v1/users/{author}", None, "reader"),
    ("GET", "/api/v1/users/{id}/posts/", "/api/v1/users/{author}/posts/", None, "reader"),
    ("GET", "/api/v1/users/{id}/timeline/", "/api/v1/users/{reader}/timeline/", None, "reader"),
    ("GET", "/api/v1/users/{id}/followers/", "/api/v1/users/{author}/followers/", None, "reader"),
    ("GET", "/api/v1/users/{id}/following/", "/api/v1/users/{reader}/following/", None, "reader"),
    ("GET", "/api/v1/users/{id}/follow", "/api/v1/users/{author}/follow", None, "reader"),
    ("POST", "/api/v1/users/{id}/follow", "/api/v1/users/{author}/follow", None, "reader"),
    ("POST", "/api/v1/users/{id}/follow", "/api/v1/users/{reader}/follow", None, "reader"),
    ("DELETE", "/api/v1/users/{id}/follow", "/api/v1/users/{author}/follow", None, "reader"),
    ("POST", "/api/v1/users/{id}/block", "/api/v1/users/{author}/block", None, "reader"),
    ("POST", "/api/v1/users/{id}/block", "/api/v1/users/{reader}/block", None, "reader"),
    ("POST", "/api/v1/users/{id}/block", "/api/v1/users/0/block", None, "reader"),
    ("GET", "/api/v1/blocks/", "/api/v1/blocks/", None, "reader"),
    ("DELETE", "/api/v1/users/{id}/block", "/api/v1/users/{author}/block", None, "reader"),
    ("POST", "/api/v1/users/{id}/mute", "/api/v1/users/{author}/mute", {"days": 7}, "reader"),
    ("POST", "/api/v1/users/{id}/mute", "/api/v1/users/{author}/mute", None, "reader"),
    ("POST", "/api/v1/users/{id}/mute", "/api/v1/users/{author}/mute", {"days": "7"}, "reader"),
    ("GET", "/api/v1/mutes/", "/api/v1/mutes/", None, "reader"),
    ("DELETE", "/api/v1/users/{id}/mute", "/api/v1/users/{author}/mute", None, "reader"),
    ("GET", "/api/v1/comments/", "/api/v1/comments/", None, "reader"),
    ("GET", "/api/v1/comments/{id}", "/api/v1/comments/{comment}", None, "reader"),
    ("POST", "/api/v1/comments/{id}/disable", "/api/v1/comments/{comment}/disable", None, "author"),
    ("POST", "/api/v1/comments/{id}/disable", "/api/v1/comments/{comment}/disable", None, "reader"),
    ("POST", "/api/v1/comments/{id}/enable", "/api/v1/comments/{comment}/enable", None, "moderator"),
    ("POST", "/api/v1/tokens/", "/api/v1/tokens/", None, "reader"),
    ("POST", "/api/v1/tokens/", "/api/v1/tokens/", None, None),
    ("DELETE", "/api/v1/posts/{id}", "/api/v1/posts/{post}", None, "author"),
    ("POST", "/api/v1/comments/{id}/approve", "/api/v1/comments/{pending}/approve", None, "reader"),
    ("POST", "/api/v1/comments/{id}/approve", "/api/v1/comments/{comment}/approve", None, "author"),
    ("POST", "/api/v1/comments/{id}/approve", "/api/v1/comments/{pending}/approve", None, "author"),
    ("DELETE", "/api/v1/comments/{id}", "/api/v1/comments/{comment}", None, "reader"),
    ("DELETE", "/api/v1/comments/{id}", "/api/v1/comments/{pending}", None, "moderator"),
    ("GET", "/api/v1/talks/", "/api/v1/talks/", None, "reader"),
    ("GET", "/api/v1/talks/", "/api/v1/talks/?past=1", None, "reader"),
    ("GET", "/api/v1/talks/", "/api/v1/talks/?page=2", None, "reader"),
    ("POST", "/api/v1/talks/", "/api/v1/talks/", TALK, "reader"),
    ("POST", "/api/v1/talks/", "/api/v1/talks/", {**TALK, "title": ""}, "reader"),
    ("GET", "/api/v1/talks/{id}", "/api/v1/talks/{talk}", None, "reader"),
    ("GET", "/api/v1/talks/{id}", "/api/v1/talks/{post}", None, "reader"),
    ("PUT", "/api/v1/talks/{id}", "/api/v1/talks/{talk}", {"venue": "Lisbon"}, "author"),
    ("PUT", "/api/v1/talks/{id}", "/api/v1/talks/{talk}", {"venue": "Lisbon"}, "reader"),
    ("PUT", "/api/v1/talks/{id}", "/api/v1/talks/{talk}", {"slides_url": "ftp://x.org/s"}, "author"),
    ("GET", "/api/v1/tags/{name}/posts/", "/api/v1/tags/django/posts/", None, "reader"),
    ("GET", "/api/v1/tags/{name}/posts/", "/api/v1/tags/123/posts/", None, "reader"),
    ("GET", "/api/v1/search/", "/api/v1/search/?q=paragraph", None, "reader"),
    ("GET", "/api/v1/search/", "/api/v1/search/?q=", None, "reader"),
    ("GET", "/api/v1/search/", "/api/v1/search/?q=x&page=0", None, "reader"),
    ("POST", "/api/v1/reports/", "/api/v1/reports/", {"post": "{post}", "reason": "spam"}, "reader"),
    ("POST", "/api/v1/reports/", "/api/v1/reports/", {"user": "{author}", "reason": "spam"}, "reader"),
    ("POST", "/api/v1/reports/", "/api/v1/reports/", {"user": "{reader}", "reason": "spam"}, "reader"),
    ("POST", "/api/v1/reports/", "/api/v1/reports/", {"post": 999999, "reason": "spam"}, "reader"),
    ("POST", "/api/v1/reports/", "/api/v1/reports/", {"reason": "spam"}, "reader"),
    ("GET", "/api/v1/reports/", "/api/v1/reports/", None, "moderator"),
    ("GET", "/api/v1/reports/", "/api/v1/reports/", None, "reader"),
    ("GET", "/api/v1/notifications/", "/api/v1/notifications/", None, "author"),
    ("GET", "/api/v1/notifications/", "/api/v1/notifications/?page=2", None, "author"),
    ("POST", "/api/v1/notifications/read", "/api/v1/notifications/read", {"ids": [1]}, "author"),
    ("POST", "/api/v1/notifications/read", "/api/v1/notifications/read", {"ids": ["x"]}, "author"),
    ("POST", "/api/v1/notifications/read", "/api/v1/notifications/read", {}, None),
    ("POST", "/api/v1/posts/{id}/like", "/api/v1/posts/{post}/like", None, "reader"),
    ("POST", "/api/v1/posts/{id}/like", "/api/v1/posts/0/like", None, "reader"),
    ("POST", "/api/v1/posts/{id}/like", "/api/v1/posts/{post}/like", None, None),
    ("DELETE", "/api/v1/posts/{id}/like", "/api/v1/posts/{post}/like", None, "reader"),
    ("POST", "/api/v1/posts/{id}/bookmark", "/api/v1/posts/{post}/bookmark", None, "reader"),
    ("DELETE", "/api/v1/posts/{id}/bookmark", "/api/v1/posts/{post}/bookmark", None, "reader"),
    ("DELETE", "/api/v1/posts/{id}/bookmark", "/api/v1/posts/0/bookmark", None, "reader"),
    ("GET", "/api/v1/bookmarks/", "/api/v1/bookmarks/", None, "reader"),
    ("GET", "/api/v1/bookmarks/", "/api/v1/bookmarks/?page=2", None, "reader"),
    ("PUT", "/api/v1/comments/{id}", "/api/v1/comments/{comment}", {"body": "fixed"}, "reader"),
    ("PUT", "/api/v1/comments/{id}", "/api/v1/comments/{comment}", {"body": "mine?"}, "author"),
    ("PUT", "/api/v1/comments/{id}", "/api/v1/comments/{comment}", {"body": ""}, "reader"),
    ("POST", "/api/v1/posts/{id}/comments/", "/api/v1/posts/{post}/comments/", REPLY, "author"),
    (
        "POST",
        "/api/v1/posts/{id}/comments/",
        "/api/v1/posts/{post}/comments/",
        {**REPLY, "in_reply_to": 0},
        "author",
    ),
    ("DELETE", "/api/v1/comments/{id}", "/api/v1/comments/{comment}", None, "moderator"),
]


@pytest.mark.parametrize(("method", "documented", "path", "data", "who"), CASES)
def test_answers_conform_to_the_schema(client, world, request, method, documented, path, data, who):
    user = request.getfixturevalue(who) if who else None
    headers = as_user(user) if user else {}
    if isinstance(data, dict):  # ids in a body, as "{post}"
        data = {key: _world_id(value, world) for key, value in data.items()}
    response = send(client, method, path.format(**world), data, headers=headers)
    assert_conforms(response, documented, method)


def _world_id(value, world):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world[value[1:-1]]
    return value


def test_every_operation_is_covered_by_a_case():
    documented = {(method.upper(), path) for path, ops in openapi()["paths"].items() for method in ops}
    assert documented == {(case[0], case[1]) for case in CASES}


def test_throttled_answers_conform(client, reader, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1/minute", "anon": "1/minute", "login": "9/minute"},
    }
    client.get("/api/v1/posts/", headers=as_user(reader))
    assert_conforms(client.get("/api/v1/posts/", headers=as_user(reader)), "/api/v1/posts/", "GET")


@pytest.mark.parametrize("content_type", ["text/plain", ""])
def test_unsupported_media_type_answers_conform(client, reader, content_type):
    response = send(
        client, "POST", "/api/v1/posts/", raw="body=x", content_type=content_type, headers=as_user(reader)
    )
    assert_conforms(response, "/api/v1/posts/", "POST")


def test_a_too_large_answer_conforms(client, reader, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = send(client, "POST", "/api/v1/posts/", {"body": "long enough"}, headers=as_user(reader))
    assert_conforms(response, "/api/v1/posts/", "POST")


def test_the_contract_check_catches_a_wrong_shape(client, reader):
    """The checker itself: a post where a page of posts is documented does not pass."""
    post = PostFactory(author=UserFactory())
    response = client.get(f"/api/v1/posts/{post.pk}", headers=as_user(reader))
    with pytest.raises(ValidationError):
        assert_conforms(response, "/api/v1/posts/", "GET")
