"""Comment notification rounds, run by the task backend."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from accounts.notifications import opted_out
from blog.models import Comment, CommentSubscription, PendingRound, Post
from flasky_project.email import absolute_url, send_templated_email

UNSUBSCRIBE_SALT = "blog.comment-subscription"


@task()
def send_comment_round(post_id):
    """Email each subscriber of the post once about the comments that are new to them.

    The pending-round marker is removed first, so a comment that arrives while this runs queues a new round
    instead of being missed.
    """
    with transaction.atomic():
        PendingRound.objects.filter(post_id=post_id).delete()
        post = Post.objects.select_related("author").filter(pk=post_id).first()
        if post is None:
            return 0
        subscriptions = list(
            CommentSubscription.objects.filter(post=post, active=True).select_related("user")
        )
        if not subscriptions:
            return 0
        since = min(subscription.notified_until for subscription in subscriptions)
        comments = list(
            Comment.objects.on(post).shown().filter(created__gt=since).select_related("author").oldest_first()
        )
        if not comments:
            return 0
        sent = 0
        off = _opted_out(subscriptions, post) | _guests_not_yet_published(subscriptions, post)
        for subscription in subscriptions:
            new = [comment for comment in comments if comment.created > subscription.notified_until]
            news = [comment for comment in new if not _wrote(subscription, comment)]
            if new:
                subscription.notified_until = new[-1].created
                subscription.save(update_fields=["notified_until"])
            if news and subscription.pk not in off:
                _email(subscription, post, news)
                sent += 1
        return sent


def _opted_out(subscriptions, post):
    """Subscriptions whose member switched this kind of email off in their preferences."""
    members = [subscription.user for subscription in subscriptions if subscription.user_id]
    authors_off = opted_out([user for user in members if user.pk == post.author_id], "comments_on_my_posts")
    others_off = opted_out([user for user in members if user.pk != post.author_id], "comments_after_mine")
    return {
        subscription.pk
        for subscription in subscriptions
        if subscription.user_id in authors_off | others_off
        or (subscription.user and not subscription.user.is_active)
    }


def _guests_not_yet_published(subscriptions, post):
    """Guest subscriptions whose guest has no published comment on the post: a guest hears about other
    comments only once one of theirs was approved (a refused spammer, or whoever typed someone else's
    address, is never emailed)."""
    guests = [subscription for subscription in subscriptions if not subscription.user_id]
    if not guests:
        return set()
    published = {
        email.lower()
        for email in Comment.objects.on(post)
        .published()
        .filter(author=None)
        .values_list("guest_email", flat=True)
    }
    return {subscription.pk for subscription in guests if subscription.email not in published}


def _wrote(subscription, comment):
    """Whether the subscriber knows the comment already: they wrote it, or approved it."""
    if subscription.user_id:
        return subscription.user_id in (comment.author_id, comment.approved_by_id)
    return not comment.author_id and comment.guest_email.lower() == subscription.email


def unsubscribe_token(subscription):
    return signing.dumps({"subscription": subscription.pk}, salt=UNSUBSCRIBE_SALT)


def _email(subscription, post, comments):
    recipient = subscription.user
    unsubscribe = absolute_url(reverse("blog:unsubscribe", args=[unsubscribe_token(subscription)]))
    send_templated_email(
        to=recipient.email if recipient else subscription.email,
        template="blog/email/new_comments",
        context={
            "recipient_name": recipient.username if recipient else subscription.name,
            "post": post,
            "is_author": recipient is not None and recipient.pk == post.author_id,
            "comments": comments,
            "post_url": absolute_url(f"{post.get_absolute_url()}?page=last#comments"),
            "preferences_url": absolute_url(reverse("accounts:email_preferences")) if recipient else "",
        },
        language=(recipient.language if recipient else "") or None,
        unsubscribe_url=unsubscribe,
    )
