"""Every kind of notification also makes its in-site notification, through the one recipient rule, and
deleting what caused one deletes it (accounts.notifications.deliver, accounts.Notification)."""

from unittest import mock

import pytest

from accounts import notifications
from accounts.models import Notification, SiteOptOut
from accounts.tests.factories import UserFactory
from blog import services
from blog.tests.factories import PostFactory
from social.services import follow, unfollow
from talks.tasks import send_moderation_request
from talks.tests.factories import GuestCommentFactory, TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(author):
    return PostFactory(author=author, title="My trip")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def told(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "actor_id"))


def test_a_new_follower_makes_a_follow_notification(author, reader, mailoutbox):
    follow(follower=reader, followed=author)
    (notification,) = Notification.objects.filter(recipient=author)
    assert (notification.kind, notification.actor, notification.read) == ("follow", reader, False)
    assert notification.get_absolute_url() == "/user/reader/"
    assert told(reader) == []


def test_unfollowing_deletes_the_follow_notification(author, reader):
    follow(follower=reader, followed=author)
    unfollow(follower=reader, followed=author)
    assert told(author) == []


def test_each_comment_on_my_post_makes_a_notification_while_the_email_groups_them(
    commit, post, author, reader, mailoutbox, settings
):
    settings.FLASKY_NOTIFICATION_ROUND_SECONDS = 60  # both comments join one round
    with mock.patch("blog.services.schedule_round"):
        first = services.publish_comment(post=post, author=reader, body="One")
        second = services.publish_comment(post=post, author=reader, body="Two")
    commit(services.schedule_round, post=post)
    assert len(mailoutbox) == 1
    notes = list(Notification.objects.filter(recipient=author).order_by("id"))
    assert [(n.kind, n.actor, n.target_id, n.post_id) for n in notes] == [
        ("comment", reader, first.pk, post.pk),
        ("comment", reader, second.pk, post.pk),
    ]
    assert notes[0].url == f"/post/{post.pk}/?page=1#comment-{first.pk}"
    assert notes[0].summary == "My trip"


def test_a_comment_after_mine_makes_a_notification(commit, post, author, reader):
    commit(services.publish_comment, post=post, author=reader, body="First", notify=True)
    third = UserFactory(username="third")
    commit(services.publish_comment, post=post, author=third, body="Second")
    assert told(reader) == [("comment", third.pk)]
    assert told(author) == [("comment", reader.pk), ("comment", third.pk)]


def test_a_guests_comment_waiting_makes_one_notification_per_comment(author):
    talk = TalkFactory(post__author=author)
    comment = GuestCommentFactory(post=talk.post, guest_name="Ada", guest_email="ada@example.net")
    send_moderation_request.call(talk.pk)
    send_moderation_request.call(talk.pk)  # the email repeats what still waits; the site does not
    (notification,) = Notification.objects.filter(recipient=author)
    assert (notification.kind, notification.actor, notification.target_id) == (
        "guest_comment",
        None,
        comment.pk,
    )
    assert notification.url == "/talks/moderate/"


def test_switching_a_kind_off_on_the_site_keeps_its_email(author, reader, mailoutbox, commit):
    SiteOptOut.objects.create(user=author, kind=notifications.NEW_FOLLOWER)
    commit(follow, follower=reader, followed=author)
    assert told(author) == []
    assert len(mailoutbox) == 1


def test_switching_a_kind_off_by_email_keeps_the_site_notification(author, reader, mailoutbox, commit):
    notifications.switch_off(author, notifications.NEW_FOLLOWER)
    commit(follow, follower=reader, followed=author)
    assert told(author) == [("follow", reader.pk)]
    assert not mailoutbox


def refusing(actor):
    """The recipient rule, as if every recipient had blocked or muted ``actor``."""

    def accepting(users, *, actor):
        return users.none() if actor is not None and actor.pk == refused.pk else users

    refused = actor
    return mock.patch("accounts.notifications._accepting", accepting)


def test_nothing_on_the_site_from_an_actor_the_rule_refuses(commit, post, author, reader, mailoutbox):
    with refusing(reader):
        commit(follow, follower=reader, followed=author)
        commit(services.publish_comment, post=post, author=reader, body="Hi @author")
    assert told(author) == []
    assert not mailoutbox


def test_deleting_a_comment_deletes_its_notifications(commit, post, author, reader):
    comment = commit(services.publish_comment, post=post, author=reader, body="One")
    comment.delete()
    assert told(author) == []


def test_deleting_a_post_deletes_the_notifications_about_it_and_its_comments(commit, post, author, reader):
    commit(services.publish_comment, post=post, author=reader, body="One")
    follow(follower=reader, followed=author)
    services.delete_post(post)
    assert told(author) == [("follow", reader.pk)]


def test_a_comment_that_mentions_the_posts_author_tells_them_once_on_the_site(
    commit, post, author, reader, mailoutbox
):
    comment = commit(services.publish_comment, post=post, author=reader, body="@author look")
    assert told(author) == [("mention", reader.pk)]
    assert Notification.objects.get(recipient=author).target_id == comment.pk
    assert len(mailoutbox) == 1  # the email about the post's comments is sent as before
