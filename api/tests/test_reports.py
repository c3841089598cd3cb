"""POST /api/v1/reports/ (any confirmed member) and GET /api/v1/reports/ (moderators)."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.models import Moderation
from blog.tests.factories import CommentFactory, PostFactory
from moderation.models import Report
from moderation.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def post_report(client, user, data):
    return send(client, "POST", "/api/v1/reports/", data, headers=api_headers(user.email, PASSWORD))


def test_reporting_a_post_answers_201_with_the_report(client, reader, author):
    post = PostFactory(author=author)
    response = post_report(client, reader, {"post": post.pk, "reason": "spam", "message": "Ads"})
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {
        "id": report.pk,
        "kind": "post",
        "post_url": f"/api/v1/posts/{post.pk}",
        "comment_url": None,
        "user_url": None,
        "reporter_url": f"/api/v1/users/{reader.pk}",
        "reason": "spam",
        "message": "Ads",
        "timestamp": report.created.isoformat().replace("+00:00", "Z"),
        "resolved": None,
        "action": "",
    }


def test_reporting_a_comment_and_a_user(client, reader, author):
    comment = CommentFactory(author=author)
    assert post_report(client, reader, {"comment": comment.pk, "reason": "harassment"}).status_code == 201
    assert post_report(client, reader, {"user": author.pk, "reason": "illegal"}).status_code == 201
    assert set(Report.objects.values_list("kind", flat=True)) == {"comment", "user"}


def test_reporting_twice_is_a_400(client, reader, author):
    post = PostFactory(author=author)
    post_report(client, reader, {"post": post.pk, "reason": "spam"})
    status, error, message = error_of(post_report(client, reader, {"post": post.pk, "reason": "other"}))
    assert (status, error) == (400, "bad request") and "already reported" in message
    assert Report.objects.count() == 1


def test_reporting_yourself_is_a_400(client, reader):
    status, _error, message = error_of(post_report(client, reader, {"user": reader.pk, "reason": "spam"}))
    assert status == 400 and "You cannot report yourself" in message
    assert not Report.objects.exists()


@pytest.mark.parametrize("kind", ["post", "comment", "user"])
def test_an_unknown_target_is_a_404(client, reader, kind):
    status, _error, message = error_of(post_report(client, reader, {kind: 999999, "reason": "spam"}))
    assert status == 404 and "999999" in message
    assert not Report.objects.exists()


def test_a_hidden_post_is_a_404(client, reader):
    post = PostFactory(moderation=Moderation.HIDDEN)
    assert post_report(client, reader, {"post": post.pk, "reason": "spam"}).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "spam"},
        {"post": 1, "user": 2, "reason": "spam"},
        {"post": 1},
        {"post": 1, "reason": "boring"},
        {"post": "one", "reason": "spam"},
        {"post": 1, "reason": "spam", "message": "x" * 1001},
        {"post": 1, "reason": "spam", "colour": "red"},
    ],
    ids=["no-target", "two-targets", "no-reason", "bad-reason", "bad-id", "long-message", "unknown-key"],
)
def test_bad_input_is_a_400_with_nothing_saved(client, reader, data):
    status, error, _message = error_of(post_report(client, reader, data))
    assert (status, error) == (400, "bad request")
    assert not Report.objects.exists()


def test_the_open_reports_are_for_moderators_newest_first(client, reader, moderator):
    older, newer = ReportFactory(), ReportFactory()
    resolved = ReportFactory(resolved_at=older.created, action="dismiss")
    status, _error, _message = error_of(
        client.get("/api/v1/reports/", headers=api_headers(reader.email, PASSWORD))
    )
    assert status == 403
    response = client.get("/api/v1/reports/", headers=api_headers(moderator.email, PASSWORD))
    assert response.status_code == 200
    data = response.json()
    assert [report["id"] for report in data["reports"]] == [newer.pk, older.pk]
    assert resolved.pk not in [report["id"] for report in data["reports"]]
    assert (data["count"], data["prev"], data["next"]) == (2, None, None)


def test_the_list_query_count_is_fixed(client, moderator, django_assert_num_queries):
    for _number in range(10):
        ReportFactory(reporter=UserFactory())
    headers = api_headers(moderator.email, PASSWORD)
    client.get("/api/v1/reports/", headers=headers)
    # the user, the count, the page's keys, its rows
    with django_assert_num_queries(4):
        client.get("/api/v1/reports/", headers=headers)
