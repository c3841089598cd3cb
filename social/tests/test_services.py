"""follow() and unfollow(): the rules, the email, and two requests racing."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.notifications import switch_off
from accounts.tests.factories import UserFactory
from social import services
from social.models import Follow

pytestmark = pytest.mark.django_db


def follows(follower, followed):
    return Follow.objects.filter(follower=follower, followed=followed).exists()


def test_follow_creates_one_row(author, reader):
    assert services.follow(follower=reader, followed=author) is True
    assert follows(reader, author)
    assert not follows(author, reader)
    assert Follow.objects.get().created is not None


def test_following_twice_is_harmless(author, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.follow(follower=reader, followed=author)
        assert services.follow(follower=reader, followed=author) is False
    assert Follow.objects.count() == 1


def test_following_yourself_is_refused(reader):
    with pytest.raises(services.CannotFollowSelf, match="You can't follow yourself."):
        services.follow(follower=reader, followed=reader)
    assert not Follow.objects.exists()


def test_the_database_refuses_a_self_follow_too(reader):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=reader, followed=reader)


def test_unfollow_ends_the_follow(author, reader):
    services.follow(follower=reader, followed=author)
    assert services.unfollow(follower=reader, followed=author) is True
    assert services.unfollow(follower=reader, followed=author) is False
    assert not Follow.objects.exists()


def test_unfollowing_yourself_is_refused(reader):
    with pytest.raises(services.CannotFollowSelf):
        services.unfollow(follower=reader, followed=reader)


def test_deleting_a_user_deletes_their_follows(author, reader):
    services.follow(follower=reader, followed=author)
    services.follow(follower=author, followed=reader)
    reader.delete()
    assert not Follow.objects.exists()


def test_a_new_follow_emails_the_followed_user(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.follow(follower=reader, followed=author)
    (message,) = mailoutbox
    assert message.to == [author.email]
    assert message.subject == "[Flasky] reader is now following you!"
    assert "http://testserver/user/reader/" in message.body
    assert "http://testserver/email/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert 'href="http://testserver/user/reader/"' in html


def test_following_again_sends_no_second_email(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.follow(follower=reader, followed=author)
        services.follow(follower=reader, followed=author)
    assert len(mailoutbox) == 1


def test_no_email_for_users_who_switched_it_off(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    switch_off(author, "new_follower")
    with django_capture_on_commit_callbacks(execute=True):
        services.follow(follower=reader, followed=author)
    assert not mailoutbox
    assert follows(reader, author)


@pytest.mark.django_db(transaction=True)
def test_two_racing_follows_make_one_row_and_one_email(mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so there is no race to lose there; PostgreSQL runs this.")
    follower, followed = UserFactory(), UserFactory()
    barrier = threading.Barrier(2)
    results = []

    def attempt():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both transactions are open before either inserts
                results.append(services.follow(follower=follower, followed=followed))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == [False, True]
    assert Follow.objects.filter(follower=follower, followed=followed).count() == 1
    assert len(mailoutbox) == 1
