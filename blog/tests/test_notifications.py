"""New-comment emails: the post's author and subscribed commenters, once per person per round."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from accounts import notifications
from accounts.models import EmailOptOut
from accounts.notifications import switch_off
from accounts.tests.factories import UserFactory
from blog import services
from blog.models import CommentSubscription, PendingRound
from blog.tasks import send_comment_round
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(author):
    return PostFactory(author=author, title="My trip")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the code under test queued for after the commit (the in-process task backend)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_a_comment_emails_the_posts_author(commit, post, reader, mailoutbox):
    commit(services.publish_comment, post=post, author=reader, body="Lovely!")
    (message,) = mailoutbox
    assert message.to == ["author@example.com"]
    assert message.subject == "[Flasky] New comments on “My trip”"
    assert "reader: Lovely!" in message.body
    assert f"http://testserver/post/{post.pk}/?page=last#comments" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/email/unsubscribe/")


def test_authors_are_not_told_about_their_own_comments(commit, post, author, mailoutbox):
    commit(services.publish_comment, post=post, author=author, body="Thanks all", notify=True)
    assert not mailoutbox


def test_commenters_who_opted_in_hear_about_later_comments(commit, post, reader, mailoutbox):
    commit(services.publish_comment, post=post, author=reader, body="First", notify=True)
    mailoutbox.clear()
    commit(services.publish_comment, post=post, author=UserFactory(username="third"), body="Second")
    assert recipients(mailoutbox) == ["author@example.com", "reader@example.com"]


def test_commenters_who_did_not_opt_in_hear_nothing(commit, post, reader, mailoutbox):
    commit(services.publish_comment, post=post, author=reader, body="First", notify=False)
    mailoutbox.clear()
    commit(services.publish_comment, post=post, author=UserFactory(), body="Second")
    assert recipients(mailoutbox) == ["author@example.com"]


def test_one_email_per_person_per_round(commit, post, reader, mailoutbox):
    # Three comments arrive before the round runs: each subscriber gets one email listing what is new.
    services.publish_comment(post=post, author=reader, body="One", notify=True)
    services.publish_comment(post=post, author=UserFactory(username="two"), body="Two")
    services.publish_comment(post=post, author=UserFactory(username="three"), body="Three")
    assert PendingRound.objects.count() == 1
    commit(send_comment_round.call, post_id=post.pk)
    by_recipient = {message.to[0]: message.body for message in mailoutbox}
    assert sorted(by_recipient) == ["author@example.com", "reader@example.com"]
    assert all(name in by_recipient["author@example.com"] for name in ("One", "Two", "Three"))
    assert "One" not in by_recipient["reader@example.com"].split("\n- ", 1)[1]
    assert not PendingRound.objects.exists()


def test_a_second_round_only_tells_what_is_new(commit, post, reader, mailoutbox):
    commit(services.publish_comment, post=post, author=reader, body="Old news")
    commit(services.publish_comment, post=post, author=reader, body="Fresh news")
    assert len(mailoutbox) == 2
    assert "Old news" not in mailoutbox[1].body and "Fresh news" in mailoutbox[1].body


def test_disabled_comments_are_not_announced(commit, post, reader, mailoutbox):
    comment = services.publish_comment(post=post, author=reader, body="Spam spam")
    services.publish_comment(post=post, author=UserFactory(username="kind"), body="Nice post")
    services.set_disabled(comment, True, by=post.author)
    commit(send_comment_round.call, post_id=post.pk)
    (message,) = mailoutbox
    assert "Nice post" in message.body and "Spam spam" not in message.body


def test_preferences_switch_off_author_emails(commit, post, author, reader, mailoutbox):
    switch_off(author, "comments_on_my_posts")
    commit(services.publish_comment, post=post, author=reader, body="Hi")
    assert not mailoutbox


def test_preferences_switch_off_commenter_emails(commit, post, reader, mailoutbox):
    switch_off(reader, "comments_after_mine")
    commit(services.publish_comment, post=post, author=reader, body="One", notify=True)
    mailoutbox.clear()
    commit(services.publish_comment, post=post, author=UserFactory(), body="Two")
    assert recipients(mailoutbox) == ["author@example.com"]


def test_an_old_unsubscribe_link_asks_then_stops_emails_about_that_post(
    commit, client, post, reader, mailoutbox
):
    # The blog's own link, in emails sent before there was one kind of unsubscribe link.
    commit(services.publish_comment, post=post, author=reader, body="One", notify=True)
    subscription = CommentSubscription.objects.get(user=reader)
    token = signing.dumps({"subscription": subscription.pk}, salt="blog.comment-subscription")
    asked = client.get(f"/post/unsubscribe/{token}/").content.decode()
    assert "Stop emailing reader@example.com when someone comments on “My trip”?" in asked
    assert CommentSubscription.objects.get(pk=subscription.pk).active
    assert client.post(f"/post/unsubscribe/{token}/").status_code == 200
    assert not CommentSubscription.objects.get(pk=subscription.pk).active
    mailoutbox.clear()
    commit(services.publish_comment, post=post, author=UserFactory(), body="Two")
    assert recipients(mailoutbox) == ["author@example.com"]


def test_unsubscribe_with_a_bad_token_is_a_404(client):
    assert client.post("/post/unsubscribe/nonsense/").status_code == 404


def test_a_round_for_a_deleted_post_does_nothing(commit, post, reader, mailoutbox):
    services.publish_comment(post=post, author=reader, body="x")
    post_id = post.pk
    post.delete()
    assert commit(send_comment_round.call, post_id=post_id) == 0
    assert not mailoutbox


def test_whoever_approves_a_comment_hears_nothing_about_it(commit, post, author, reader, mailoutbox):
    commit(services.publish_comment, post=post, author=reader, body="Member first", notify=True)
    mailoutbox.clear()
    waiting = services.publish_comment(
        post=post,
        author=None,
        guest_name="Gus",
        guest_email="gus@example.com",
        body="Guest here",
        approved=False,
    )
    commit(services.approve_comment, comment=waiting, by=author)
    # The post's author approved it: only the other subscriber is told.
    assert recipients(mailoutbox) == ["reader@example.com"]
    assert "Gus: Guest here" in mailoutbox[0].body


def test_a_round_whose_task_was_lost_does_not_hold_back_later_ones(commit, post, reader, mailoutbox):
    # The marker of a round that should have run two hours ago (its task failed or was lost).
    PendingRound.objects.create(post=post, due=timezone.now() - timedelta(hours=2))
    commit(services.publish_comment, post=post, author=reader, body="Still heard")
    assert recipients(mailoutbox) == ["author@example.com"]


def test_a_round_due_soon_takes_the_next_comment_along(post, reader):
    PendingRound.objects.create(post=post, due=timezone.now() + timedelta(minutes=4))
    assert services.schedule_round(post) is False
    assert PendingRound.objects.count() == 1


def test_the_link_in_a_comment_email_stops_emails_about_that_post_only(
    commit, client, post, reader, mailoutbox
):
    other = PostFactory(author=post.author, title="Another")
    for each in (post, other):
        commit(services.publish_comment, post=each, author=reader, body="Me first", notify=True)
    mailoutbox.clear()
    commit(services.publish_comment, post=post, author=UserFactory(), body="Two")
    link = next(m for m in mailoutbox if m.to == [reader.email]).extra_headers["List-Unsubscribe"][1:-1]
    page = client.get(link).content.decode()
    assert "Stop emailing reader@example.com when someone comments on “My trip”?" in page
    done = client.post(link).content.decode()
    assert "we will no longer email you when someone comments on “My trip”" in done
    assert f'href="/post/{post.pk}/"' in done
    assert list(CommentSubscription.objects.filter(active=False).values_list("post", "user")) == [
        (post.pk, reader.pk)
    ]
    assert not EmailOptOut.objects.exists()  # the kind itself stays on, for other posts


def test_a_guests_link_stops_their_emails_about_that_post(commit, client, post, reader, mailoutbox):
    guest = services.publish_comment(
        post=post, guest_name="Gus", guest_email="gus@example.com", body="Hi", notify=True, approved=False
    )
    commit(services.approve_comment, comment=guest, by=post.author)
    commit(services.publish_comment, post=post, author=reader, body="Hello Gus")
    gus = next(message for message in mailoutbox if message.to == ["gus@example.com"])
    link = gus.extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://testserver")
    assert "Stop emailing gus@example.com when someone comments" in client.get(link).content.decode()
    assert client.post(link).status_code == 200
    assert not CommentSubscription.objects.get(email="gus@example.com").active


def test_the_rule_is_asked_per_writer_so_a_refused_writer_leaves_out_only_their_comments(
    commit, post, reader, mailoutbox, monkeypatch
):
    # Stands in for the trust-and-safety clause (the reader muted "troll"): the round must ask the rule
    # about each writer and leave out only that writer's comments, for that reader only.
    def accepting(users, *, actor):
        return users.exclude(pk=reader.pk) if actor is not None and actor.username == "troll" else users

    monkeypatch.setattr(notifications, "_accepting", accepting)
    commit(services.publish_comment, post=post, author=reader, body="First", notify=True)
    mailoutbox.clear()
    services.publish_comment(post=post, author=UserFactory(username="troll"), body="Nonsense")
    services.publish_comment(post=post, author=UserFactory(username="kind"), body="Welcome")
    commit(send_comment_round.call, post_id=post.pk)
    by_recipient = {message.to[0]: message.body for message in mailoutbox}
    assert (
        "Nonsense" in by_recipient["author@example.com"] and "Welcome" in by_recipient["author@example.com"]
    )
    assert (
        "Nonsense" not in by_recipient["reader@example.com"]
        and "Welcome" in by_recipient["reader@example.com"]
    )


def test_a_member_refused_every_writer_gets_no_email(commit, post, reader, mailoutbox, monkeypatch):
    monkeypatch.setattr(notifications, "_accepting", lambda users, *, actor: users.exclude(pk=reader.pk))
    commit(services.publish_comment, post=post, author=reader, body="First", notify=True)
    mailoutbox.clear()
    commit(services.publish_comment, post=post, author=UserFactory(), body="Second")
    assert recipients(mailoutbox) == ["author@example.com"]
