"""Comment notification rounds, run by the task backend."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django_tasks import task

from accounts import notifications
from blog.models import Comment, CommentSubscription, PendingRound, Post
from flasky_project.pagination import page_count


@task()
def send_comment_round(post_id):
    """Email each subscriber of the post once about the comments that are new to them; returns how many.

    The blog decides who is subscribed and what is new to each (and which guests may hear at all);
    accounts.notifications decides which members may receive it, and sends.

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
        silent = _guests_not_yet_published(subscriptions, post)
        news = []
        for subscription in subscriptions:
            new = [comment for comment in comments if comment.created > subscription.notified_until]
            if new:
                subscription.notified_until = new[-1].created
                subscription.save(update_fields=["notified_until"])
            unknown = [comment for comment in new if not _wrote(subscription, comment)]
            if unknown and subscription.pk not in silent:
                news.append((subscription, unknown))
        return notifications.new_comments(post=post, news=news, locations=_locations(post, news))


def _locations(post, news):
    """{comment id: its place on its page}, for the site's notifications: one query per comment."""
    return {
        comment.pk: comment_url(comment, post) for _subscription, comments in news for comment in comments
    }


def comment_url(comment, post=None):
    """The comment's place on its page of the post's comments, as blog.comments.comment_location says for a
    reader who sees what everyone sees (which it cannot import: it imports this module's callers)."""
    post = post or comment.post
    visible = Comment.objects.visible_to(AnonymousUser()).on(post)
    before = visible.filter(created__lte=comment.created).count()
    number = page_count(before, settings.FLASKY_COMMENTS_PER_PAGE)
    return f"{post.get_absolute_url()}?page={number}#comment-{comment.pk}"


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
