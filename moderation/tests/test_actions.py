"""Resolving reports: dismiss, hide, warn, suspend; the reporters told; the audit log; no self-sanctions."""

import pytest

from blog.models import Moderation
from blog.tests.factories import CommentFactory, PostFactory
from moderation import services
from moderation.models import AuditEntry, Kind, Report, Sanction
from moderation.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(author):
    return PostFactory(author=author, body="Buy cheap watches")


@pytest.fixture
def report(post, reader):
    return ReportFactory(reporter=reader, post=post)


def resolve(client, report, resolution, note=""):
    return client.post(f"/moderate/reports/{report.pk}/resolve/", {"resolution": resolution, "note": note})


def test_dismissing_releases_a_held_post_and_tells_the_reporter(
    moderator_client, moderator, report, post, mailoutbox
):
    post.moderation = Moderation.HELD
    post.save()
    response = resolve(moderator_client, report, "dismiss", "Not spam")
    assert response.status_code == 302 and response["Location"] == "/moderate/reports/"
    report.refresh_from_db()
    post.refresh_from_db()
    assert (report.is_open, report.action, report.resolved_by, report.note) == (
        False,
        "dismiss",
        moderator,
        "Not spam",
    )
    assert post.moderation == Moderation.SHOWN
    (message,) = mailoutbox
    assert message.to == [report.reporter.email]
    assert "found nothing against the rules" in message.body
    assert "/unsubscribe/" in message.body


def test_hiding_a_post_resolves_every_open_report_of_it(moderator_client, report, post, mailoutbox):
    other = ReportFactory(post=post)
    unrelated = ReportFactory()
    resolve(moderator_client, report, "hide")
    post.refresh_from_db()
    assert post.moderation == Moderation.HIDDEN
    assert set(Report.objects.open()) == {unrelated}
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        [report.reporter.email, other.reporter.email]
    )
    assert all("A moderator hid it." in message.body for message in mailoutbox)


def test_hiding_a_comment(moderator_client, author):
    comment = CommentFactory(author=author)
    report = ReportFactory(kind=Kind.COMMENT, post=None, comment=comment)
    resolve(moderator_client, report, "hide")
    comment.refresh_from_db()
    assert comment.moderation == Moderation.HIDDEN


def test_a_user_cannot_be_hidden(moderator_client, author):
    report = ReportFactory(kind=Kind.USER, post=None, user=author)
    response = resolve(moderator_client, report, "hide")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_open
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Only a post or a comment can be hidden."]


def test_warning_emails_the_author_and_shows_a_notice_at_their_next_page(
    moderator_client, report, author, author_client, mailoutbox
):
    resolve(moderator_client, report, "warn", "No advertising, please.")
    sanction = Sanction.objects.get()
    assert (sanction.user, sanction.kind, sanction.note) == (author, "warning", "No advertising, please.")
    to_author = [message for message in mailoutbox if message.to == [author.email]]
    assert len(to_author) == 1 and "No advertising, please." in to_author[0].body
    content = author_client.get("/").content.decode()
    assert "A moderator has warned you" in content and "No advertising, please." in content
    sanction.refresh_from_db()
    assert sanction.shown_at is not None
    assert "A moderator has warned you" not in author_client.get("/").content.decode()


@pytest.mark.parametrize(("resolution", "days"), [("suspend_1", 1), ("suspend_7", 7), ("suspend_30", 30)])
def test_suspending_for_days(moderator_client, report, author, resolution, days, mailoutbox):
    resolve(moderator_client, report, resolution, "Spam")
    author.refresh_from_db()
    assert author.is_suspended and not author.suspended_for_good
    assert 0 <= (author.suspended_until - report.created).days - days <= 1
    assert Sanction.objects.get().until == author.suspended_until
    to_author = [message for message in mailoutbox if message.to == [author.email]]
    assert len(to_author) == 1 and "suspended your account until" in to_author[0].body


def test_suspending_for_good(moderator_client, report, author):
    resolve(moderator_client, report, "suspend_forever")
    author.refresh_from_db()
    assert author.suspended_for_good


def test_every_action_is_in_the_audit_log(moderator_client, moderator, report, post):
    resolve(moderator_client, report, "suspend_7", "Third time")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_kind, entry.target_id, entry.note) == (
        moderator,
        "suspend",
        "post",
        post.pk,
        "Third time",
    )
    assert entry.detail == "7 days"


def test_moderators_cannot_sanction_administrators(moderator_client, administrator):
    report = ReportFactory(post=PostFactory(author=administrator))
    for resolution in ("hide", "warn", "suspend_1"):
        response = resolve(moderator_client, report, resolution)
        messages = [str(message) for message in response.wsgi_request._messages]
        assert messages[-1] == "Moderators cannot sanction administrators.", resolution
    administrator.refresh_from_db()
    report.refresh_from_db()
    assert report.is_open and not administrator.is_suspended and not Sanction.objects.exists()


def test_moderators_cannot_sanction_themselves(moderator_client, moderator):
    report = ReportFactory(kind=Kind.USER, post=None, user=moderator)
    response = resolve(moderator_client, report, "suspend_forever")
    assert [str(message) for message in response.wsgi_request._messages] == ["You cannot sanction yourself."]
    moderator.refresh_from_db()
    assert not moderator.is_suspended and Report.objects.get().is_open


def test_a_moderator_may_dismiss_a_report_about_an_administrator(moderator, administrator):
    report = ReportFactory(kind=Kind.USER, post=None, user=administrator)
    services.resolve(report, by=moderator, action="dismiss")
    assert not Report.objects.get().is_open


def test_the_service_refuses_with_403(moderator, administrator):
    report = ReportFactory(kind=Kind.USER, post=None, user=administrator)
    with pytest.raises(services.Refused) as refusal:
        services.resolve(report, by=moderator, action="suspend", days=None)
    assert refusal.value.status == 403


def test_only_moderators_resolve(reader_client, report):
    assert resolve(reader_client, report, "dismiss").status_code == 403
    assert Report.objects.get().is_open


def test_resolving_twice_is_refused(moderator_client, moderator, report):
    services.resolve(report, by=moderator, action="dismiss")
    response = resolve(moderator_client, report, "hide")
    assert [str(message) for message in response.wsgi_request._messages] == [
        "This report has been resolved already."
    ]
    assert Report.objects.get().action == "dismiss"


def test_a_bad_resolution_changes_nothing(moderator_client, report):
    resolve(moderator_client, report, "suspend_99")
    assert Report.objects.get().is_open and not AuditEntry.objects.exists()


def test_a_visitors_comment_can_be_hidden_but_not_warned(moderator):
    comment = CommentFactory(author=None, guest_name="Visitor", guest_email="v@example.com")
    report = ReportFactory(kind=Kind.COMMENT, post=None, comment=comment)
    with pytest.raises(services.Refused):
        services.resolve(report, by=moderator, action="warn")
    services.resolve(report, by=moderator, action="hide")
    comment.refresh_from_db()
    assert comment.moderation == Moderation.HIDDEN


def test_reporters_who_switched_the_emails_off_are_not_told(
    moderator, report, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.notifications import REPORT_OUTCOMES, switch_off

    switch_off(report.reporter, REPORT_OUTCOMES)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(report, by=moderator, action="dismiss")
    assert mailoutbox == []


def test_a_longer_suspension_is_not_shortened(moderator, author):
    services.suspend(author, by=moderator, days=None)
    services.suspend(author, by=moderator, days=1)
    author.refresh_from_db()
    assert author.suspended_for_good


def test_the_admin_shows_reports_sanctions_and_a_read_only_audit_log(administrator_client, moderator, report):
    services.resolve(report, by=moderator, action="warn", note="Careful")
    for model in ("report", "sanction", "auditentry"):
        listing = administrator_client.get(f"/admin/moderation/{model}/")
        assert listing.status_code == 200, model
        assert administrator_client.get(f"/admin/moderation/{model}/add/").status_code == 403, model
    entry = AuditEntry.objects.get()
    change = administrator_client.get(f"/admin/moderation/auditentry/{entry.pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert (
        administrator_client.post(
            f"/admin/moderation/auditentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk, note="Careful").exists()
