"""Commenting on talks: visitors' comments wait for the speaker, members' are published at once; emails."""

import pytest

from accounts.models import EmailOptOut
from accounts.tests.factories import UserFactory
from blog import services as blog_services
from blog.models import Comment, CommentSubscription
from blog.tests.factories import CommentFactory
from talks import services
from talks.models import PendingModerationEmail
from talks.tasks import send_moderation_request
from talks.tests.factories import GuestCommentFactory, TalkFactory

pytestmark = pytest.mark.django_db

PENDING_MESSAGE = "Your comment will be published after it is reviewed by the presenter."


@pytest.fixture
def talk(author):
    return TalkFactory(post__author=author, post__title="Flask by Example")


def guest(**changes):
    return {"name": "Ada", "email": "ada@example.net", "body": "Great *talk*!", "notify": "on", **changes}


def test_visitors_see_the_guest_form_and_members_the_usual_one(client, reader_client, talk):
    anonymous = client.get(f"/talks/{talk.pk}/")
    assert anonymous.context["guest_form"] is not None and anonymous.context["comment_form"] is None
    content = anonymous.content.decode()
    assert "Notify me of new comments" in content and 'name="website"' in content
    member = reader_client.get(f"/talks/{talk.pk}/")
    assert member.context["guest_form"] is None and member.context["comment_form"] is not None


def test_a_guests_comment_waits_for_approval_and_says_so(client, talk, mailoutbox):
    response = client.post(f"/talks/{talk.pk}/", guest(), follow=True)
    comment = Comment.objects.get()
    assert (comment.author, comment.guest_name, comment.guest_email, comment.approved) == (
        None,
        "Ada",
        "ada@example.net",
        False,
    )
    assert response.redirect_chain[-1][0] == f"/talks/{talk.pk}/#comments"
    content = response.content.decode()
    assert PENDING_MESSAGE in content
    assert "Great <em>talk</em>" not in content  # not public yet, not even to its writer
    assert "Great <em>talk</em>" not in client.get(f"/talks/{talk.pk}/").content.decode()


def test_the_speaker_is_emailed_when_a_comment_waits(client, talk, mailoutbox):
    client.post(f"/talks/{talk.pk}/", guest())
    (message,) = mailoutbox
    assert message.to == ["author@example.com"]
    assert message.subject == "[Flasky] Comments on “Flask by Example” wait for your approval"
    assert "Ada <ada@example.net>: Great *talk*!" in message.body
    assert f"http://testserver/talks/{talk.pk}/?page=last#comments" in message.body
    assert "http://testserver/talks/moderate/" in message.body
    assert not PendingModerationEmail.objects.exists()


def test_one_moderation_email_per_round(talk, mailoutbox, django_capture_on_commit_callbacks, settings):
    # With a queue (TASKS_BACKEND=database), comments that arrive before the email is sent share it.
    services.add_guest_comment(talk=talk, name="One", email="one@example.net", body="First")
    services.add_guest_comment(talk=talk, name="Two", email="two@example.net", body="Second")
    assert PendingModerationEmail.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_moderation_request.call(talk_id=talk.pk)
    (message,) = mailoutbox
    assert "First" in message.body and "Second" in message.body


def test_no_moderation_email_when_nothing_waits_any_more(
    talk, mailoutbox, django_capture_on_commit_callbacks
):
    comment = GuestCommentFactory(post=talk.post)
    comment.delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_moderation_request.call(talk_id=talk.pk) == 0
    assert not mailoutbox


def test_the_moderation_email_is_not_sent_to_an_unconfirmed_speaker(client, mailoutbox):
    talk = TalkFactory(post__author=UserFactory(username="fresh", confirmed=False))
    client.post(f"/talks/{talk.pk}/", guest())
    assert Comment.objects.filter(approved=False).exists() and not mailoutbox


def test_speakers_may_switch_the_moderation_email_off_from_its_link(client, talk, mailoutbox):
    client.post(f"/talks/{talk.pk}/", guest())
    (message,) = mailoutbox
    link = message.extra_headers["List-Unsubscribe"][1:-1]
    assert link.startswith("http://testserver/email/unsubscribe/") and link in message.body
    assert client.post(link.removeprefix("http://testserver")).status_code == 200
    assert EmailOptOut.objects.filter(user=talk.speaker, kind="comments_waiting").exists()
    mailoutbox.clear()
    client.post(f"/talks/{talk.pk}/", guest(name="Bea", email="bea@example.net"))
    assert Comment.objects.filter(approved=False).count() == 2 and not mailoutbox


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"body": "  "}, "body"),
        ({"body": "x" * 5001}, "body"),
    ],
)
def test_bad_guest_comments_are_refused(client, talk, changes, field, mailoutbox):
    response = client.post(f"/talks/{talk.pk}/", guest(**changes))
    assert response.status_code == 400
    assert field in response.context["guest_form"].errors
    assert not Comment.objects.exists() and not mailoutbox


def test_robots_filling_the_honeypot_are_thanked_and_ignored(client, talk, mailoutbox):
    response = client.post(f"/talks/{talk.pk}/", guest(website="http://spam.example"), follow=True)
    assert PENDING_MESSAGE in response.content.decode()
    assert not Comment.objects.exists() and not mailoutbox


def test_guests_comments_are_rate_limited_per_address(client, talk, settings):
    settings.FLASKY_GUEST_COMMENTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(f"/talks/{talk.pk}/", guest()).status_code == 302
    response = client.post(f"/talks/{talk.pk}/", guest())
    assert response.status_code == 429
    assert "Too many comments from your network" in response.content.decode()
    assert Comment.objects.count() == 2
    other_network = client.post(f"/talks/{talk.pk}/", guest(), REMOTE_ADDR="192.0.2.7")
    assert other_network.status_code == 302


def test_guests_may_not_comment_on_plain_posts(client):
    comment = CommentFactory()
    response = client.post(f"/post/{comment.post_id}/", guest())
    assert response.status_code == 302 and "/auth/login/" in response["Location"]
    assert Comment.objects.count() == 1


def test_a_members_comment_is_published_at_once(reader_client, reader, talk):
    response = reader_client.post(f"/talks/{talk.pk}/", {"body": "Thanks *a lot*"})
    comment = Comment.objects.get()
    assert comment.author == reader and comment.approved
    assert response["Location"] == f"/talks/{talk.pk}/?page=1#comment-{comment.pk}"
    content = reader_client.get(response["Location"]).content.decode()
    assert "Your comment has been published." in content and "Thanks <em>a lot</em>" in content


def test_an_empty_member_comment_is_refused(reader_client, talk):
    assert reader_client.post(f"/talks/{talk.pk}/", {"body": ""}).status_code == 400
    assert not Comment.objects.exists()


def test_guests_hear_of_later_comments_only_once_theirs_is_published(
    client, reader_client, talk, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(f"/talks/{talk.pk}/", guest())
    assert CommentSubscription.objects.filter(email="ada@example.net").exists()
    mailoutbox.clear()
    reader_client.post(f"/talks/{talk.pk}/", {"body": "A member's comment"})
    assert [message.to for message in mailoutbox] == [["author@example.com"]]  # not Ada: still waiting
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.approve_comment(Comment.objects.get(author=None), by=talk.speaker)
    mailoutbox.clear()
    reader_client.post(f"/talks/{talk.pk}/", {"body": "Another one"})
    assert sorted(message.to[0] for message in mailoutbox) == ["ada@example.net", "author@example.com"]
    ada = next(message for message in mailoutbox if message.to == ["ada@example.net"])
    assert "/email/unsubscribe/" in ada.extra_headers["List-Unsubscribe"]


def test_an_approved_comment_is_announced_even_after_later_ones(
    client, reader_client, moderator, talk, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(f"/talks/{talk.pk}/", guest(body="Waited a while"))
    reader_client.post(f"/talks/{talk.pk}/", {"body": "Published meanwhile"})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.approve_comment(Comment.objects.get(author=None), by=moderator)
    (message,) = mailoutbox
    assert message.to == ["author@example.com"] and "Waited a while" in message.body
