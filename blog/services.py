"""Writing posts and comments: the one path for views, the API, the admin and commands."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import notifications
from accounts.notifications import Subscription
from blog.models import Bookmark, Comment, CommentSubscription, Like, PendingRound, Post, PostKind
from blog.tasks import send_comment_round
from flasky_project.tasks import enqueue_once


def publish_post(*, author, body, title="", kind=PostKind.POST):
    return Post.objects.create(author=author, body=body, title=title, kind=kind)


def edit_post(post, *, body, title=None):
    post.body = body
    if title is not None:
        post.title = title
    post.updated = timezone.now()
    post.save(update_fields=["body", "title", "updated"])
    return post


def delete_post(post):
    post.delete()


@transaction.atomic
def publish_comment(
    *,
    post,
    author=None,
    body,
    notify=False,
    guest_name="",
    guest_email="",
    approved=True,
    in_reply_to=None,
):
    """Add a comment: members' are published at once, guests' (talks) wait for approval.

    ``notify`` subscribes the commenter to later comments on the post. The post's author is always told
    about comments (unless they switched it off), in rounds: see blog.tasks.send_comment_round.

    ``in_reply_to`` (a comment the caller read through Comment.objects.visible_to) makes it a reply: see
    thread_of. Raises CommentRefused (400) for a comment on another post, or one that cannot be answered.
    """
    thread_id, body = thread_of(in_reply_to, post=post, author=author, body=body)
    comment = Comment.objects.create(
        post=post,
        author=author,
        body=body,
        guest_name=guest_name,
        guest_email=guest_email,
        approved=approved,
        in_reply_to_id=thread_id,
    )
    if in_reply_to is not None and approved and author is not None:
        notifications.replied(reply=comment, to=in_reply_to)
    _subscribe(post, user=post.author, since=post.created)
    if notify:
        _subscribe(
            post, user=author, email="" if author else guest_email, name=guest_name, since=comment.created
        )
    if approved:
        schedule_round(post)
    return comment


class ModerationRefused(Exception):
    """Why a comment cannot be approved, replied to, edited or deleted, with the HTTP status that says so."""

    def __init__(self, message, status):
        super().__init__(str(message))
        self.message = message
        self.status = status


CommentRefused = ModerationRefused


def thread_of(in_reply_to, *, post, author, body):
    """(the thread's top comment id or None, the body to store) for a comment answering ``in_reply_to``.

    One level of nesting, as Forem and YouTube show it: a reply to a reply joins the same thread (its parent
    is the top comment) and starts by mentioning the author it answers ("@alice ")."""
    if in_reply_to is None:
        return None, body
    if in_reply_to.post_id != post.pk:
        raise CommentRefused(_("You can only reply to a comment on the same post."), 400)
    if not in_reply_to.approved or in_reply_to.deleted:
        raise CommentRefused(_("This comment cannot be replied to."), 400)
    if in_reply_to.in_reply_to_id is None:
        return in_reply_to.pk, body
    mention = f"@{in_reply_to.author.username} " if in_reply_to.author_id else ""
    if mention and in_reply_to.author_id != getattr(author, "pk", None) and not body.startswith(mention):
        body = mention + body
    return in_reply_to.in_reply_to_id, body


def edit_comment(comment, *, by, body):
    """Change a comment's text: only its author may (CommentRefused 403 otherwise). It is marked edited,
    with the time, and the text it replaces is kept for moderators (``previous_body``: the text before the
    last edit)."""
    if not comment.can_edit(by):
        raise CommentRefused(_("You cannot edit this comment."), 403)
    if body == comment.body:
        return comment
    comment.previous_body, comment.body, comment.edited = comment.body, body, timezone.now()
    comment.save(update_fields=["previous_body", "body", "edited"])
    return comment


@transaction.atomic
def delete_comment(comment, *, by):
    """Delete a comment: its author, the post's author or a moderator (CommentRefused 403 otherwise).

    A comment with replies stays as a "deleted" placeholder (its text and likes gone) so that the thread
    still reads; a placeholder whose last reply goes is removed with it. Returns True when the row was
    removed, False when it was kept as a placeholder."""
    if not comment.can_delete(by):
        raise CommentRefused(_("You cannot delete this comment."), 403)
    if comment.replies.exists():
        Comment.objects.filter(pk=comment.pk).update(deleted=True, body="", body_html="", previous_body="")
        Like.objects.filter(comment=comment).delete()
        comment.deleted, comment.body, comment.body_html, comment.previous_body = True, "", "", ""
        return False
    comment.delete()
    if comment.in_reply_to_id:
        Comment.objects.filter(pk=comment.in_reply_to_id, deleted=True, replies__isnull=True).delete()
    return True


# --- Likes and bookmarks ---


def like(*, user, post=None, comment=None):
    """``user`` likes a post or (``comment``) a comment; liking twice is harmless, also when two requests
    race (the unique constraint decides). Returns whether this made a new like. The caller has read the
    post or comment through its ``visible_to``."""
    try:
        with transaction.atomic():
            Like.objects.create(user=user, post=post, comment=comment)
    except IntegrityError:
        return False  # liked already, or by a concurrent request: the same outcome
    notifications.liked(liker=user, post=post, comment=comment)
    return True


def unlike(*, user, post=None, comment=None):
    """Take a like back; harmless when there is none. Returns whether one was removed."""
    target = {"post": post} if post is not None else {"comment": comment}
    deleted, _by_model = Like.objects.filter(user=user, **target).delete()
    return bool(deleted)


def bookmark(*, user, post):
    """Keep a post for later (private to ``user``); twice is harmless. Returns whether it was new."""
    try:
        with transaction.atomic():
            Bookmark.objects.create(user=user, post=post)
    except IntegrityError:
        return False
    return True


def unbookmark(*, user, post):
    deleted, _by_model = Bookmark.objects.filter(user=user, post=post).delete()
    return bool(deleted)


def approve_comment(comment, *, by):
    """Publish a guest's comment that waits for approval, and tell the subscribers about it: the one
    approval, for the moderation pages, the API and the admin. Returns the comment.

    Raises ModerationRefused: 403 when ``by`` may not moderate it (only the post's author and moderators
    may), 400 when it is published already (also when a concurrent request just published it).

    The comment is dated when it is published: it then takes its place after the comments published before
    it, and the notification round (which announces what is newer than each subscriber was told about)
    includes it even when others were published while it waited.
    """
    if not comment.can_moderate(by):
        raise ModerationRefused(_("You cannot modify this comment."), 403)
    now = timezone.now()
    if not Comment.objects.filter(pk=comment.pk, approved=False).update(
        approved=True, created=now, approved_by=by.pk
    ):
        raise ModerationRefused(_("Comment is already approved."), 400)
    comment.approved, comment.created, comment.approved_by_id = True, now, by.pk
    schedule_round(comment.post)
    return comment


def schedule_round(post):
    """Queue a notification round for the post unless one is queued already: comments that arrive before
    it runs are announced together, so nobody gets more than one email per post per round."""
    return enqueue_once(
        PendingRound(post=post),
        send_comment_round,
        delay=settings.FLASKY_NOTIFICATION_ROUND_SECONDS,
        post_id=post.pk,
    )


def _subscribe(post, *, user=None, email="", name="", since):
    """Subscribe someone to the post's comments, counting everything until ``since`` as known to them.
    An existing subscription (active or switched off) is left as it is."""
    if user is None and not email:
        return
    lookup = {"post": post, "user": user} if user else {"post": post, "user": None, "email": email.lower()}
    try:
        with transaction.atomic():
            CommentSubscription.objects.get_or_create(
                **lookup, defaults={"name": name, "notified_until": since}
            )
    except IntegrityError:
        pass  # created by a concurrent request: the same outcome


def find_comment_subscription(key):
    """The "comments" unsubscribe scope: what a link that stops one post's comment emails stops (None if
    the subscription is gone). See accounts.notifications."""
    try:
        subscription = CommentSubscription.objects.select_related("post", "user").get(pk=key)
    except (CommentSubscription.DoesNotExist, TypeError, ValueError):
        return None
    return Subscription(
        address=subscription.user.email if subscription.user else subscription.email,
        topic=gettext("someone comments on “%(post)s”") % {"post": subscription.post},
        stop=lambda: CommentSubscription.objects.filter(pk=subscription.pk).update(active=False),
        member=subscription.user is not None,
        url=subscription.post.get_absolute_url(),
    )
