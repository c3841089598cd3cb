"""The daily digest of unread notifications (accounts.inbox.send_digests, send_notification_digests)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import notifications
from accounts.models import Notification, NotificationDigest
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notification_digests")

    return run


def note(user, *, read=False, minutes_ago=1):
    return Notification.objects.create(
        recipient=user,
        kind="follow",
        actor=UserFactory(username=f"fan{Notification.objects.count()}"),
        url="/user/fan/",
        read=read,
        created=timezone.now() - timedelta(minutes=minutes_ago),
    )


def subscribe(user, hours_ago=24):
    return NotificationDigest.objects.create(
        user=user, sent_until=timezone.now() - timedelta(hours=hours_ago)
    )


def test_the_digest_lists_the_unread_notifications_since_the_last_one(reader, send, mailoutbox):
    subscribe(reader)
    note(reader)
    note(reader, read=True)
    note(reader, minutes_ago=60 * 48)  # before the last digest
    send()
    (message,) = mailoutbox
    assert message.to == [reader.email]
    assert message.subject == "[Flasky] You have 1 unread notification"
    assert "fan0: new follower" in message.body and "fan1" not in message.body and "fan2" not in message.body
    assert "http://testserver/notifications/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/email/unsubscribe/")


def test_a_digest_is_sent_once_for_the_same_notifications(reader, send, mailoutbox):
    subscribe(reader)
    note(reader)
    send()
    send()
    assert len(mailoutbox) == 1


def test_no_digest_without_news_or_without_asking(reader, author, send, mailoutbox):
    subscribe(reader)
    note(author)
    send()
    assert not mailoutbox


def test_the_digest_is_in_the_users_language(reader, send, mailoutbox):
    reader.language = "es"
    reader.save()
    subscribe(reader)
    note(reader)
    send()
    assert mailoutbox[0].subject == "[Flasky] Tienes 1 notificación sin leer"


def test_the_unsubscribe_link_stops_the_digest(client, reader):
    subscribe(reader)
    token = notifications.unsubscribe_token(kind=notifications.DIGEST, user=reader)
    assert client.post(f"/email/unsubscribe/{token}/").status_code == 200
    assert not NotificationDigest.objects.filter(user=reader).exists()
