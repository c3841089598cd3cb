"""A suspended member: the notice page and nothing else, no posting or API, and their content hidden."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers, error_of, send
from blog import services as blog_services
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory
from moderation import services
from moderation.models import Kind
from moderation.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(author, moderator):
    report = ReportFactory(kind=Kind.USER, post=None, user=author)
    services.resolve(report, by=moderator, action="suspend", days=7, note="Spamming")
    author.refresh_from_db()
    return author


@pytest.mark.parametrize("path", ["/", "/talks/", "/settings/email/", "/user/author/", "/report/user/1/"])
def test_every_page_sends_a_suspended_member_to_the_notice(suspended, author_client, path):
    response = author_client.get(path)
    assert response.status_code == 302 and response["Location"] == "/suspended/"


def test_the_notice_says_until_when_and_why(suspended, author_client):
    response = author_client.get("/suspended/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Your account is suspended" in content and "Spamming" in content


def test_a_suspended_member_may_log_out_and_switch_language(suspended, author_client):
    assert author_client.post("/i18n/setlang/", {"language": "es", "next": "/suspended/"}).status_code == 302
    assert author_client.post("/auth/logout/").status_code == 302
    assert "_auth_user_id" not in author_client.session


def test_the_notice_page_sends_others_home(reader_client):
    assert reader_client.get("/suspended/")["Location"] == "/"


def test_the_suspension_ends_by_itself(suspended, author_client):
    type(suspended).objects.filter(pk=suspended.pk).update(
        suspended_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert author_client.get("/").status_code == 200


def test_a_suspended_member_cannot_post_or_comment_by_any_path(suspended):
    with pytest.raises(blog_services.PostingRefused) as refusal:
        blog_services.publish_post(author=suspended, body="Still here")
    assert refusal.value.status == 403
    with pytest.raises(blog_services.PostingRefused):
        blog_services.publish_comment(post=PostFactory(), author=suspended, body="Still here")
    assert not Post.objects.filter(body="Still here").exists() and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/api/v1/posts/", None),
        ("POST", "/api/v1/posts/", {"body": "Still here"}),
        ("POST", "/api/v1/users/{reader}/follow", None),
        ("POST", "/api/v1/reports/", {"user": "{reader}", "reason": "spam"}),
    ],
    ids=["list", "post", "follow", "report"],
)
def test_the_api_answers_a_suspended_member_403(client, suspended, reader, method, path, data):
    path = path.format(reader=reader.pk)
    if data and data.get("user"):
        data = {**data, "user": reader.pk}
    response = send(client, method, path, data, headers=api_headers(suspended.email, PASSWORD))
    status, error, message = error_of(response)
    assert (status, error) == (403, "forbidden")
    assert "suspended" in message
    assert not Post.objects.filter(body="Still here").exists()


def test_a_suspended_members_content_is_hidden_from_others(suspended, reader, moderator):
    post = PostFactory(author=suspended)
    comment = CommentFactory(author=suspended, post=PostFactory())
    assert not Post.objects.visible_to(reader).filter(pk=post.pk).exists()
    assert not Comment.objects.visible_to(reader).filter(pk=comment.pk).exists()
    assert Post.objects.visible_to(moderator).filter(pk=post.pk).exists()
    assert Post.objects.visible_to(suspended).filter(pk=post.pk).exists()
