"""GET /api/v1/notifications/ and POST /api/v1/notifications/read."""

import pytest

from accounts.models import Notification
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, send
from blog import services
from blog.tests.factories import PostFactory
from social.services import follow

pytestmark = pytest.mark.django_db


def headers(user):
    return api_headers(user.email, PASSWORD)


def unread(user):
    return Notification.objects.filter(recipient=user, read=False).count()


@pytest.fixture
def news(author, reader, django_capture_on_commit_callbacks):
    """The author's notifications: a follow, a comment, and a mention in another comment (which tells them
    once: as a mention)."""
    follow(follower=reader, followed=author)
    post = PostFactory(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.publish_comment(post=post, author=reader, body="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        mention = services.publish_comment(post=post, author=reader, body="Hi @author")
    return post, comment, mention


def test_the_list_has_flaskys_shape_with_the_unread_count(client, author, reader, news):
    post, comment, mention = news
    data = client.get("/api/v1/notifications/", headers=headers(author)).json()
    assert data["count"] == 3 and data["unread"] == 3 and data["prev"] is None and data["next"] is None
    by_type = {item["type"]: item for item in data["notifications"]}
    assert by_type["follow"]["actor_url"] == f"/api/v1/users/{reader.pk}"
    assert by_type["follow"]["post_url"] is None and by_type["follow"]["comment_url"] is None
    for kind, target in (("comment", comment), ("mention", mention)):
        assert by_type[kind]["post_url"] == f"/api/v1/posts/{post.pk}"
        assert by_type[kind]["comment_url"] == f"/api/v1/comments/{target.pk}"
        assert by_type[kind]["read"] is False and by_type[kind]["timestamp"].endswith("Z")
    assert unread(author) == 3  # reading the API's list does not mark them


@pytest.mark.parametrize("path", ["/api/v1/notifications/", "/api/v1/notifications"])
def test_both_spellings_answer(client, author, path):
    assert client.get(path, headers=headers(author)).status_code == 200


def test_the_list_is_the_callers_own(client, reader, news):
    data = client.get("/api/v1/notifications/", headers=headers(reader)).json()
    assert data["notifications"] == [] and data["unread"] == 0


def test_marking_some_read(client, author, news):
    first = Notification.objects.filter(recipient=author).order_by("id").first()
    response = send(
        client, "POST", "/api/v1/notifications/read", {"ids": [first.pk]}, headers=headers(author)
    )
    assert response.status_code == 200 and response.json() == {"marked": 1, "unread": 2}
    first.refresh_from_db()
    assert first.read


@pytest.mark.parametrize("path", ["/api/v1/notifications/read", "/api/v1/notifications/read/"])
def test_marking_all_read(client, author, news, path):
    response = send(client, "POST", path, None, headers=headers(author))
    assert response.status_code == 200 and response.json() == {"marked": 3, "unread": 0}
    assert unread(author) == 0


def test_marking_someone_elses_marks_nothing(client, author, reader, news):
    theirs = Notification.objects.filter(recipient=author).first()
    response = send(
        client, "POST", "/api/v1/notifications/read", {"ids": [theirs.pk]}, headers=headers(reader)
    )
    assert response.json() == {"marked": 0, "unread": 0}
    assert unread(author) == 3


@pytest.mark.parametrize(
    "body",
    [{"ids": ["x"]}, {"ids": [0]}, {"ids": [10**19]}, {"ids": 5}, {"ids": [1] * 101}, {"other": 1}, [1]],
    ids=["not-a-number", "zero", "too-big", "not-a-list", "too-many", "unknown-key", "not-an-object"],
)
def test_bad_ids_are_a_400_and_mark_nothing(client, author, news, body):
    response = send(client, "POST", "/api/v1/notifications/read", body, headers=headers(author))
    assert response.status_code == 400 and response.json()["error"] == "bad request"
    assert unread(author) == 3


def test_anonymous_callers_get_a_401(client):
    assert client.get("/api/v1/notifications/").status_code == 401


def test_a_full_page_takes_a_fixed_number_of_queries(client, author, django_assert_num_queries):
    for _ in range(25):
        follow(follower=UserFactory(), followed=author)
    client.get("/api/v1/notifications/", headers=headers(author))
    with django_assert_num_queries(5):  # the caller, the count, the page's keys, its rows, the unread count
        response = client.get("/api/v1/notifications/", headers=headers(author))
    assert len(response.json()["notifications"]) == 20
