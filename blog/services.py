"""Writing posts and comments: the one path for views, the API, the admin and commands."""

import datetime
import math

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import notifications
from accounts.notifications import Subscription
from blog import pictures as blog_pictures
from blog.markdown import (
    COMMENT_TAGS,
    POST_TAGS,
    find_mentions,
    find_tags,
    is_tag_name,
    normalise_tag,
    render_markdown,
)
from blog.models import (
    Bookmark,
    Comment,
    CommentSubscription,
    FollowedTag,
    Like,
    Mention,
    Moderation,
    PendingRound,
    Post,
    PostKind,
    PostPicture,
    PostTag,
    Tag,
)
from blog.tasks import comment_url, send_comment_round
from flasky_project.tasks import enqueue_once
from social.services import is_blocked_between


class PostingRefused(Exception):
    """Why a member may not publish this post or comment now, with the HTTP status that says so: 403 for a
    suspended account, 400 for too many links from a new account, 429 for a new account's hourly limit."""

    def __init__(self, message, status, *, retry_after=None):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.retry_after = retry_after  # seconds, for a 429


@transaction.atomic
def publish_post(*, author, body, title="", kind=PostKind.POST, pictures=()):
    """Publish a post, with ``pictures`` (a list of (blog.pictures.Processed, alt text)) if any: all of it or,
    on an error, nothing (no post, no stored files). Raises PostingRefused (see check_author)."""
    check_author(author, body=body, model=Post)
    post = Post.objects.create(author=author, body=body, title=title, kind=kind)
    notify_mentions(post)
    update_tags(post)
    # Last: attach() removes the files it stored if it fails, and nothing after it can fail but the commit.
    blog_pictures.attach(post, pictures)
    return post


@transaction.atomic
def edit_post(post, *, body, title=None, pictures=(), remove_pictures=()):
    """Change a post's text; add ``pictures`` (as publish_post) after the ones it keeps, and remove
    ``remove_pictures`` (its PostPicture rows) with their files once the change is saved."""
    post.body = body
    if title is not None:
        post.title = title
    post.updated = timezone.now()
    post.save(update_fields=["body", "title", "updated"])
    notify_mentions(post)
    update_tags(post)
    removed = [picture.pk for picture in remove_pictures if picture.post_id == post.pk]
    if removed:  # their files leave storage once this is saved (see blog.pictures)
        PostPicture.objects.filter(pk__in=removed).delete()
    if pictures:
        last = post.pictures.aggregate(last=Max("position"))["last"]
        blog_pictures.attach(post, pictures, start=0 if last is None else last + 1)  # last: see publish_post
    return post


def notify_mentions(post, comment=None):
    """Tell the members the post (or ``comment`` on it) mentions, each once: those it mentioned before
    (kept as Mention rows) are not told again when an edit keeps or repeats them. The one recipient rule
    decides (never someone who blocked the author). Only members' comments that are published mention."""
    author = comment.author if comment is not None else post.author
    if author is None or (comment is not None and not comment.approved):
        return []
    mentioned = [user for user in find_mentions((comment or post).body) if user.pk != author.pk]
    if not mentioned:
        return []
    known = set(
        Mention.objects.filter(post=post, comment=comment, user__in=mentioned).values_list(
            "user_id", flat=True
        )
    )
    new = [user for user in mentioned if user.pk not in known]
    Mention.objects.bulk_create(
        [Mention(user=user, post=post, comment=comment) for user in new], ignore_conflicts=True
    )
    url = comment_url(comment, post) if comment is not None else post.get_absolute_url()
    return notifications.new_mentions(
        author=author, mentioned=new, target=comment or post, post=post, url=url
    )


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
    cache.delete(followed_tags_key(user))
    return tag


def unfollow_tag(*, user, name):
    tag = tag_named(name)
    if tag is not None:
        FollowedTag.objects.filter(user=user, tag=tag).delete()
        cache.delete(followed_tags_key(user))
    return tag


FOLLOWED_TAGS_CACHE_SECONDS = 60 * 60
FOLLOWED_TAGS_SHOWN = 20


def followed_tag_names(user):
    """The names of the tags ``user`` follows, alphabetically (at most FOLLOWED_TAGS_SHOWN), for the
    sidebar of the home and profile pages. Cached, and forgotten by follow_tag and unfollow_tag (the only
    paths that change them; a deleted account takes its key's user with it), so a page pays no query."""
    if not user.is_authenticated:
        return []
    key = followed_tags_key(user)
    names = cache.get(key)
    if names is None:
        tags = Tag.objects.filter(followers__user=user).order_by("name")
        names = list(tags.values_list("name", flat=True)[:FOLLOWED_TAGS_SHOWN])
        cache.set(key, names, FOLLOWED_TAGS_CACHE_SECONDS)
    return names


def followed_tags_key(user):
    return f"blog:followed-tags:{user.pk}"


def delete_post(post):
    """Delete a post; its pictures' files leave storage once that is saved (a post_delete of each picture:
    blog.pictures.remove_files_of_deleted_picture, which also serves the admin and deleted accounts)."""
    post.delete()


class CommentRefused(PermissionDenied):
    """A block between the commenter and the post's author forbids the comment (a 403)."""


# Says neither who blocked whom nor that there is a block: the blocked user is not told.
COMMENT_REFUSED = _("You can't comment on this post.")


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
    """Add a comment: members' are published at once, guests' (talks) wait for approval. Raises
    PostingRefused for a member who may not comment now (see check_author).

    ``notify`` subscribes the commenter to later comments on the post. The post's author is always told
    about comments (unless they switched it off), in rounds: see blog.tasks.send_comment_round.

    ``in_reply_to`` (a comment the caller read through Comment.objects.visible_to) makes it a reply: see
    thread_of. Raises CommentActionRefused (400) for a reply to a comment on another post, or to one that
    cannot be answered; CommentRefused (403) when the post's author and the commenter block one another (the
    visibility rule already hides the post between them; this is the one check every path shares).
    """
    if author is not None:
        check_author(author, body=body, model=Comment)
    if author is not None and is_blocked_between(author, post.author):
        raise CommentRefused(COMMENT_REFUSED)
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
        notifications.replied(reply=comment, to=in_reply_to, url=comment_url(comment, post))
    _subscribe(post, user=post.author, since=post.created)
    if notify:
        _subscribe(
            post, user=author, email="" if author else guest_email, name=guest_name, since=comment.created
        )
    if approved:
        schedule_round(post)
        notify_mentions(post, comment)
    return comment


# --- Suspended and new accounts ---


def check_author(author, *, body, model):
    """Refuse (PostingRefused) a post or comment (``model``) that ``author`` may not publish now: nothing
    from a suspended account; from a new account (see is_new_account) no more than
    FLASKY_NEW_ACCOUNT_MAX_LINKS links, and no more posts or comments than its hourly allowance."""
    if author.is_suspended:
        raise PostingRefused(_("Your account is suspended: you cannot post or comment."), 403)
    if not is_new_account(author):
        return
    links = render_markdown(body, allowed=POST_TAGS if model is Post else COMMENT_TAGS).count("<a ")
    most = settings.FLASKY_NEW_ACCOUNT_MAX_LINKS
    if links > most:
        message = ngettext(
            "New accounts may put at most %(count)d link in a post or comment. Please remove some.",
            "New accounts may put at most %(count)d links in a post or comment. Please remove some.",
            most,
        )
        raise PostingRefused(message % {"count": most}, 400)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    if model is Post:
        most = settings.FLASKY_NEW_ACCOUNT_POSTS_PER_HOUR
        message = ngettext(
            "New accounts may publish %(count)d post an hour. Please try again later.",
            "New accounts may publish %(count)d posts an hour. Please try again later.",
            most,
        )
    else:
        most = settings.FLASKY_NEW_ACCOUNT_COMMENTS_PER_HOUR
        message = ngettext(
            "New accounts may publish %(count)d comment an hour. Please try again later.",
            "New accounts may publish %(count)d comments an hour. Please try again later.",
            most,
        )
    recent = model.objects.filter(author=author, created__gte=an_hour_ago).aggregate(
        count=Count("pk"), oldest=Min("created")
    )
    if recent["count"] >= most:
        # Until the oldest of the hour's posts (or comments) is an hour old, and frees a place.
        wait = recent["oldest"] + datetime.timedelta(hours=1) - timezone.now()
        raise PostingRefused(
            message % {"count": most}, 429, retry_after=max(1, math.ceil(wait.total_seconds()))
        )


def is_new_account(user):
    """Whether ``user`` joined less than FLASKY_NEW_ACCOUNT_HOURS ago and has no approved content: nothing
    published (a post, or a published comment, not held or hidden) before that many hours ago. The second
    half matters for accounts whose history predates their membership date (imported or restored ones).
    Established accounts cost no query."""
    since = timezone.now() - datetime.timedelta(hours=settings.FLASKY_NEW_ACCOUNT_HOURS)
    if user.member_since <= since:
        return False
    older = {"author": user, "created__lt": since, "moderation": Moderation.SHOWN}
    return not (
        Post.objects.filter(**older).exists() or Comment.objects.filter(approved=True, **older).exists()
    )


class ModerationRefused(Exception):
    """Why a comment cannot be approved, replied to, edited or deleted, with the HTTP status that says so."""

    def __init__(self, message, status):
        super().__init__(str(message))
        self.message = message
        self.status = status


CommentActionRefused = ModerationRefused


def thread_of(in_reply_to, *, post, author, body):
    """(the thread's top comment id or None, the body to store) for a comment answering ``in_reply_to``.

    One level of nesting, as Forem and YouTube show it: a reply to a reply joins the same thread (its parent
    is the top comment) and starts by mentioning the author it answers ("@alice ")."""
    if in_reply_to is None:
        return None, body
    if in_reply_to.post_id != post.pk:
        raise CommentActionRefused(_("You can only reply to a comment on the same post."), 400)
    if not in_reply_to.approved or in_reply_to.deleted:
        raise CommentActionRefused(_("This comment cannot be replied to."), 400)
    if in_reply_to.in_reply_to_id is None:
        return in_reply_to.pk, body
    mention = f"@{in_reply_to.author.username} " if in_reply_to.author_id else ""
    if mention and in_reply_to.author_id != getattr(author, "pk", None) and not body.startswith(mention):
        body = mention + body
    return in_reply_to.in_reply_to_id, body


def edit_comment(comment, *, by, body):
    """Change a comment's text: only its author may (CommentActionRefused 403 otherwise). It is marked edited,
    with the time, and the text it replaces is kept for moderators (``previous_body``: the text before the
    last edit)."""
    if not comment.can_edit(by):
        raise CommentActionRefused(_("You cannot edit this comment."), 403)
    if body == comment.body:
        return comment
    comment.previous_body, comment.body, comment.edited = comment.body, body, timezone.now()
    comment.save(update_fields=["previous_body", "body", "edited"])
    return comment


@transaction.atomic
def delete_comment(comment, *, by):
    """Delete a comment: its author, the post's author or a moderator (CommentActionRefused 403 otherwise).

    A comment with replies stays as a "deleted" placeholder (its text and likes gone) so that the thread
    still reads; a placeholder whose last reply goes is removed with it. Returns True when the row was
    removed, False when it was kept as a placeholder."""
    if not comment.can_delete(by):
        raise CommentActionRefused(_("You cannot delete this comment."), 403)
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
    notifications.liked(
        liker=user, post=post, comment=comment, post_of_comment=comment.post if comment is not None else None
    )
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
    check_may_moderate(comment, by)
    now = timezone.now()
    if not Comment.objects.filter(pk=comment.pk, approved=False).update(
        approved=True, created=now, approved_by=by.pk
    ):
        raise ModerationRefused(_("Comment is already approved."), 400)
    comment.approved, comment.created, comment.approved_by_id = True, now, by.pk
    schedule_round(comment.post)
    return comment


def check_may_moderate(comment, user):
    """The one moderation check (approving, deleting a waiting comment, disabling, enabling): only the
    post's author and moderators (Post.can_moderate_comments) may; anyone else gets ModerationRefused 403."""
    if not comment.can_moderate(user):
        raise ModerationRefused(_("You cannot modify this comment."), 403)


def set_disabled(comment, disabled, *, by):
    """Disable (hide) or enable a comment: the one path for the site, the API and the admin. Raises
    ModerationRefused 403 for someone who may not moderate it."""
    check_may_moderate(comment, by)
    comment.disabled = disabled
    Comment.objects.filter(pk=comment.pk).update(disabled=disabled)
    return comment


def delete_pending_comment(comment, *, by):
    """Delete a comment that waits for approval (a guest's, on a talk). Published comments are not deleted
    here (their author deletes them, or a moderator disables them). Raises ModerationRefused: 403 for
    someone who may not moderate it, 400 when it is published already."""
    check_may_moderate(comment, by)
    deleted, _by_model = Comment.objects.filter(pk=comment.pk, approved=False).delete()
    if not deleted:
        raise ModerationRefused(_("Comment is already approved."), 400)


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
