"""The comment change form of the Django admin: moderators moderate there, they never rewrite."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from accounts.tests.factories import UserFactory
from blog.models import Comment
from blog.tests.factories import CommentFactory, PostFactory
from talks.tests.factories import GuestCommentFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    "post_id",
    "author_id",
    "guest_name",
    "guest_email",
    "body",
    "body_html",
    "created",
    "approved_by_id",
]


def _row(comment):
    return Comment.objects.values(*FIELDS, "approved", "disabled").get(pk=comment.pk)


def _forged(comment, administrator, **extra):
    """A change form as a forger fills it: another author, post and text, backdated to 2020."""
    return {
        "post": PostFactory().pk,
        "author": administrator.pk,
        "guest_name": "",
        "guest_email": "",
        "body": "Forged words",
        "created_0": "2020-01-01",
        "created_1": "00:00:00",
        "approved": "on",
        "approved_by": administrator.pk,
        **extra,
    }


def _as_it_is(comment):
    """The change form as the admin shows the comment."""
    created = timezone.localtime(comment.created)
    return {
        "post": comment.post_id,
        "author": comment.author_id or "",
        "guest_name": comment.guest_name,
        "guest_email": comment.guest_email,
        "body": comment.body,
        "created_0": created.strftime("%Y-%m-%d"),
        "created_1": created.strftime("%H:%M:%S"),
        "approved": "on" if comment.approved else "",
        "disabled": "on" if comment.disabled else "",
        "approved_by": comment.approved_by_id or "",
    }


def test_moderators_cannot_change_a_comments_author_text_post_or_date(moderator_client, administrator):
    comment = CommentFactory(body="Original words")
    before = _row(comment)
    response = moderator_client.post(
        f"/admin/blog/comment/{comment.pk}/change/", _forged(comment, administrator)
    )
    assert response.status_code == 302
    assert _row(comment) == before


def test_moderators_cannot_change_a_guests_name_or_address(moderator_client, administrator):
    comment = GuestCommentFactory(approved=True)
    before = _row(comment)
    data = _forged(comment, administrator, author="", guest_name="Someone Else", guest_email="x@example.com")
    moderator_client.post(f"/admin/blog/comment/{comment.pk}/change/", data)
    assert _row(comment) == before


def test_moderators_see_the_comment_read_only_but_for_moderation(moderator_client):
    comment = GuestCommentFactory()
    page = moderator_client.get(f"/admin/blog/comment/{comment.pk}/change/").content.decode()
    for field in ["post", "author", "guest_name", "guest_email", "body", "created_0", "approved_by"]:
        assert f'name="{field}"' not in page
    assert 'name="disabled"' in page and 'name="approved"' in page


def test_moderators_disable_and_enable_a_comment_in_the_change_form(moderator_client, administrator):
    comment = CommentFactory(body="Original words")
    before = _row(comment)
    url = f"/admin/blog/comment/{comment.pk}/change/"
    moderator_client.post(url, _forged(comment, administrator, disabled="on"))
    assert _row(comment) == {**before, "disabled": True}
    data = _forged(comment, administrator)
    moderator_client.post(url, data)
    assert _row(comment) == before
    assert LogEntry.objects.filter(object_id=str(comment.pk)).count() == 2


def test_moderators_approve_a_guests_comment_in_the_change_form_as_with_the_action(
    moderator_client, moderator, administrator
):
    comment = GuestCommentFactory(created=timezone.now() - timedelta(hours=1))
    before = _row(comment)
    moderator_client.post(f"/admin/blog/comment/{comment.pk}/change/", _forged(comment, administrator))
    after = _row(comment)
    assert after["approved"] and after["approved_by_id"] == moderator.pk  # the approver, not the form's
    assert after["created"] > before["created"]  # dated when published, as services.approve_comment does
    assert {k: after[k] for k in FIELDS if k not in ("created", "approved_by_id")} == {
        k: before[k] for k in FIELDS if k not in ("created", "approved_by_id")
    }


def test_moderators_cannot_unpublish_an_approved_comment(moderator_client, administrator):
    comment = CommentFactory()
    page = moderator_client.get(f"/admin/blog/comment/{comment.pk}/change/").content.decode()
    assert 'name="approved"' not in page
    moderator_client.post(f"/admin/blog/comment/{comment.pk}/change/", {"disabled": ""})
    assert Comment.objects.get(pk=comment.pk).approved


def test_moderators_cannot_add_or_delete_comments_in_the_admin(moderator_client):
    comment = CommentFactory()
    assert moderator_client.get("/admin/blog/comment/add/").status_code == 403
    response = moderator_client.post(f"/admin/blog/comment/{comment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_administrators_keep_full_edit(administrator_client, administrator):
    comment = CommentFactory(body="Original words")
    response = administrator_client.post(
        f"/admin/blog/comment/{comment.pk}/change/", _forged(comment, administrator)
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.author, comment.body, comment.body_html) == (
        administrator,
        "Forged words",
        "Forged words",
    )
    assert comment.created == timezone.make_aware(datetime(2020, 1, 1))


def test_an_administrator_approving_in_the_form_publishes_through_the_service(
    administrator_client, administrator
):
    comment = GuestCommentFactory(created=timezone.now() - timedelta(hours=1))
    data = {**_as_it_is(comment), "approved": "on"}
    administrator_client.post(f"/admin/blog/comment/{comment.pk}/change/", data)
    comment.refresh_from_db()
    assert comment.approved and comment.approved_by == administrator
    assert comment.created > timezone.now() - timedelta(minutes=1)


def test_an_administrator_may_still_unpublish_in_the_form(administrator_client, administrator):
    comment = CommentFactory()
    data = {**_as_it_is(comment), "approved": ""}
    assert administrator_client.post(f"/admin/blog/comment/{comment.pk}/change/", data).status_code == 302
    assert not Comment.objects.get(pk=comment.pk).approved


def test_a_reader_cannot_reach_the_comment_admin(reader_client):
    comment = CommentFactory(author=UserFactory())
    before = _row(comment)
    response = reader_client.post(f"/admin/blog/comment/{comment.pk}/change/", {"body": "x"}, follow=True)
    assert response.status_code == 403
    assert _row(comment) == before


@pytest.mark.parametrize(
    ("zone", "day", "time"),
    [("America/Los_Angeles", "9999-12-31", "23:59:00"), ("Asia/Tokyo", "0001-01-01", "00:00:00")],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_in_the_admin(
    administrator_client, administrator, zone, day, time
):
    comment = CommentFactory(body="Original words")
    post = comment.post
    administrator_client.cookies["tz"] = zone
    data = {**_forged(comment, administrator), "created_0": day, "created_1": time}
    response = administrator_client.post(f"/admin/blog/comment/{comment.pk}/change/", data)
    assert response.status_code == 400
    assert "Enter a date between the years 1900 and 2200." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Original words"
    response = administrator_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        {
            "author": post.author_id,
            "title": "",
            "body": "Rewritten",
            "created_0": day,
            "created_1": time,
            "updated_0": day,
            "updated_1": time,
        },
    )
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body != "Rewritten"


def test_a_comment_approved_meanwhile_by_another_moderator_is_a_message_not_a_500(
    moderator_client, administrator, monkeypatch
):
    from blog import services

    comment = GuestCommentFactory()

    def approved_meanwhile(comment, *, by):
        raise services.ModerationRefused("Comment is already approved.", 400)

    monkeypatch.setattr(services, "approve_comment", approved_meanwhile)
    response = moderator_client.post(
        f"/admin/blog/comment/{comment.pk}/change/", _forged(comment, administrator), follow=True
    )
    assert response.status_code == 200
    assert "Comment is already approved." in response.content.decode()
