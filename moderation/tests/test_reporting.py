"""Reporting a post, a comment or a user from the site, and the rules every report obeys."""

import pytest
from django.db import IntegrityError

from accounts.tests.factories import UserFactory
from blog.models import Moderation
from blog.tests.factories import CommentFactory, PostFactory
from moderation import services
from moderation.models import AuditEntry, Kind, Report
from moderation.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(author):
    return PostFactory(author=author, body="Buy cheap watches")


def test_the_report_form_shows_the_reasons(reader_client, post):
    response = reader_client.get(f"/report/post/{post.pk}/")
    assert response.status_code == 200
    assert b"Harassment" in response.content and b"Illegal content" in response.content


def test_reporting_needs_login(client, post):
    response = client.get(f"/report/post/{post.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_a_member_reports_a_post(reader_client, reader, post):
    response = reader_client.post(f"/report/post/{post.pk}/", {"reason": "spam", "message": "Ads"})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    report = Report.objects.get()
    assert (report.reporter, report.kind, report.post, report.reason, report.message) == (
        reader,
        Kind.POST,
        post,
        "spam",
        "Ads",
    )
    assert report.is_open


def test_a_member_reports_a_comment_and_a_user(reader_client, reader, author):
    comment = CommentFactory(author=author)
    assert reader_client.post(f"/report/comment/{comment.pk}/", {"reason": "harassment"}).status_code == 302
    assert reader_client.post(f"/report/user/{author.pk}/", {"reason": "other"}).status_code == 302
    assert set(Report.objects.values_list("kind", "comment", "user")) == {
        (Kind.COMMENT, comment.pk, None),
        (Kind.USER, None, author.pk),
    }


def test_reporting_twice_is_a_clear_400(reader_client, post):
    reader_client.post(f"/report/post/{post.pk}/", {"reason": "spam"})
    response = reader_client.post(f"/report/post/{post.pk}/", {"reason": "other"})
    assert response.status_code == 400
    assert "You have already reported this" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_resolved_report_allows_a_new_one(reader, post, moderator):
    first = services.report(reporter=reader, target=post, reason="spam")
    services.resolve(first, by=moderator, action="dismiss")
    services.report(reporter=reader, target=post, reason="spam")
    assert Report.objects.count() == 2


def test_the_database_refuses_a_second_open_report(reader, post):
    ReportFactory(reporter=reader, post=post)
    with pytest.raises(IntegrityError):
        ReportFactory(reporter=reader, post=post)


def test_reporting_yourself_or_your_own_content_is_refused(author_client, author, post):
    comment = CommentFactory(author=author)
    for path in [f"/report/post/{post.pk}/", f"/report/comment/{comment.pk}/", f"/report/user/{author.pk}/"]:
        response = author_client.post(path, {"reason": "spam"})
        assert response.status_code == 400, path
        assert "You cannot report yourself" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("path", ["/report/post/999999/", "/report/comment/999999/", "/report/user/999999/"])
def test_an_unknown_target_is_a_404(reader_client, path):
    assert reader_client.post(path, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_an_unknown_kind_is_a_404(reader_client, post):
    assert reader_client.get(f"/report/poem/{post.pk}/").status_code == 404


def test_a_bad_reason_is_a_400_with_nothing_saved(reader_client, post):
    response = reader_client.post(f"/report/post/{post.pk}/", {"reason": "boring", "message": "x"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_post_the_reporter_cannot_see_cannot_be_reported(reader_client, post):
    post.moderation = Moderation.HIDDEN
    post.save()
    assert reader_client.post(f"/report/post/{post.pk}/", {"reason": "spam"}).status_code == 404


def test_report_links_are_on_posts_comments_and_profiles(reader_client, post, author):
    comment = CommentFactory(post=post, author=UserFactory())
    page = reader_client.get(post.get_absolute_url()).content.decode()
    assert f"/report/post/{post.pk}/" in page and f"/report/comment/{comment.pk}/" in page
    assert f"/report/user/{author.pk}/" in reader_client.get(f"/user/{author.username}/").content.decode()


def test_three_reporters_hold_a_post_and_the_hold_is_audited(post, settings):
    settings.FLASKY_REPORTS_TO_HOLD = 3
    for number in range(3):
        services.report(reporter=UserFactory(), target=post, reason="spam")
        post.refresh_from_db()
        assert post.moderation == (Moderation.HELD if number == 2 else Moderation.SHOWN)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_kind, entry.target_id) == (None, "hold", "post", post.pk)


def test_a_comment_is_held_after_enough_reports(settings):
    settings.FLASKY_REPORTS_TO_HOLD = 2
    comment = CommentFactory()
    for _number in range(2):
        services.report(reporter=UserFactory(), target=comment, reason="harassment")
    comment.refresh_from_db()
    assert comment.moderation == Moderation.HELD


def test_reports_of_a_user_hold_nothing(author, settings):
    settings.FLASKY_REPORTS_TO_HOLD = 1
    post = PostFactory(author=author)
    services.report(reporter=UserFactory(), target=author, reason="spam")
    post.refresh_from_db()
    assert post.moderation == Moderation.SHOWN
