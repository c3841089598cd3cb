"""Writing posts and comments: the one path for views, the API, the admin and commands."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.notifications import Subscription
from blog.markdown import find_tags, is_tag_name, normalise_tag
from blog.models import Comment, CommentSubscription, FollowedTag, PendingRound, Post, PostKind, PostTag, Tag
from blog.tasks import send_comment_round
from flasky_project.tasks import enqueue_once


@transaction.atomic
def publish_post(*, author, body, title="", kind=PostKind.POST):
    post = Post.objects.create(author=author, body=body, title=title, kind=kind)
    update_tags(post)
    return post


@transaction.atomic
def edit_post(post, *, body, title=None):
    post.body = body
    if title is not None:
        post.title = title
    post.updated = timezone.now()
    post.save(update_fields=["body", "title", "updated"])
    update_tags(post)
    return post


# A post lists at most this many tags on their pages (the first ones it names); more would be spam.
MAX_TAGS_PER_POST = 30


def update_tags(post):
    """Make the post's tags the ones its body names (blog.markdown.find_tags): the new ones added, the
    ones an edit removed dropped. Three to five queries, whatever the number of tags."""
    names = find_tags(post.body)[:MAX_TAGS_PER_POST]
    if names:
        Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    tags = list(Tag.objects.filter(name__in=names)) if names else []
    PostTag.objects.filter(post=post).exclude(tag__in=tags).delete()
    if tags:
        PostTag.objects.bulk_create(
            [PostTag(post=post, tag=tag, created=post.created) for tag in tags], ignore_conflicts=True
        )


class BadTagName(ValueError):
    """A tag name that is not a word (see blog.markdown.is_tag_name)."""


def tag_named(name, *, create=False):
    """The tag called ``name`` (in any case); None when there is none yet (or a new one with ``create``).
    Raises BadTagName for a name that is not a word."""
    if not is_tag_name(name):
        raise BadTagName(name)
    name = normalise_tag(name)
    if create:
        Tag.objects.bulk_create([Tag(name=name)], ignore_conflicts=True)  # harmless when it exists
    return Tag.objects.filter(name=name).first()


def follow_tag(*, user, name):
    """``user`` follows the tag ``name`` (created if new): its posts join their Followed timeline.
    Following twice is harmless."""
    tag = tag_named(name, create=True)
    FollowedTag.objects.bulk_create([FollowedTag(user=user, tag=tag)], ignore_conflicts=True)
    return tag


def unfollow_tag(*, user, name):
    tag = tag_named(name)
    if tag is not None:
        FollowedTag.objects.filter(user=user, tag=tag).delete()
    return tag


def delete_post(post):
    post.delete()


@transaction.atomic
def publish_comment(*, post, author=None, body, notify=False, guest_name="", guest_email="", approved=True):
    """Add a comment: members' are published at once, guests' (talks) wait for approval.

    ``notify`` subscribes the commenter to later comments on the post. The post's author is always told
    about comments (unless they switched it off), in rounds: see blog.tasks.send_comment_round.
    """
    comment = Comment.objects.create(
        post=post, author=author, body=body, guest_name=guest_name, guest_email=guest_email, approved=approved
    )
    _subscribe(post, user=post.author, since=post.created)
    if notify:
        _subscribe(
            post, user=author, email="" if author else guest_email, name=guest_name, since=comment.created
        )
    if approved:
        schedule_round(post)
    return comment


class ModerationRefused(Exception):
    """Why a comment cannot be approved or deleted, with the HTTP status that says so."""

    def __init__(self, message, status):
        super().__init__(str(message))
        self.message = message
        self.status = status


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
