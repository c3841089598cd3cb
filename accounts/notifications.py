"""Every notification the site sends, the one rule for who may receive it, and the one place it is delivered.

The one path. Each kind is listed in ``KINDS`` below and sent by one small function further down (as
healthchecks keeps every email in ``hc/lib/emails.py``): ``new_follower`` (social), ``new_comments`` (blog),
``comments_waiting`` (talks), ``new_mentions`` (blog), ``report_outcome`` and ``moderation_notice``
(moderation). It lives in accounts, the lowest app, because every sender imports it and it imports none of
them: each function takes the objects it speaks about from its caller and reads only their attributes, and
names the higher apps' pages by URL name. A new kind (a like, a reply) is one entry in ``KINDS`` (its label,
the ``NotificationType`` of its site notifications, whether it emails), one function here that asks
``recipients()`` and calls ``deliver()`` with an ``About`` for each thing it tells, its email templates if it
emails, and a line in ``accounts/inbox.py`` (``_SENTENCES``) that words it.

Three steps, each in one place:

- The sender decides who is *concerned* (the followed user, a post's subscribers, a talk's speaker);
  guests (visitors without an account, who commented on a talk) are the blog's to vet, as only it knows
  whether one of their comments was approved.
- ``recipients()`` decides which members *may receive* it: active, a confirmed address, the kind not switched
  off, not the actor, and whatever ``_accepting()`` says about the actor (blocks and mutes go there).
- ``deliver()`` tells one recipient, on each channel the rule left on: the in-site notification (a
  ``Notification`` row for each ``About``), and the email with an unsubscribe link (see Unsubscribing below)
  through the task queue, from the same call, so the site and the email never disagree about who is told.

Every kind is on, on the site and by email, until the user switches it off on the preferences page (or the
email through the unsubscribe link in one of those emails); only the opt-outs are stored (``EmailOptOut``,
``SiteOptOut``). The daily digest of unread notifications is off until the user asks for it
(``NotificationDigest``; ``send_digests`` below, run by the ``send_notification_digests`` command).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, connections, router, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    EmailOptOut,
    Notification,
    NotificationDigest,
    NotificationType,
    SiteOptOut,
    User,
)
from flasky_project import pagecache
from flasky_project.email import absolute_url, send_templated_email

NEW_FOLLOWER = "new_follower"
COMMENTS_ON_MY_POSTS = "comments_on_my_posts"
COMMENTS_AFTER_MINE = "comments_after_mine"
COMMENTS_WAITING = "comments_waiting"
MENTIONS = "mentions"
# Shown on the site only (no email): someone liked, or replied to, what I wrote.
LIKES = "likes"
REPLIES = "replies"
REPORT_OUTCOMES = "report_outcomes"
MODERATION_NOTICES = "moderation_notices"
# Not a kind: the daily email of unread notifications, which has its own switch and unsubscribe link.
DIGEST = "digest"


@dataclass(frozen=True)
class Kind:
    """A kind of notification: ``label`` completes "Tell me when…", ``type`` is the NotificationType of its
    in-site notifications, ``email`` whether it also sends an email (else only the site and the digest)."""

    label: str
    type: str
    email: bool = True


# Every kind, in the order of the preferences page.
KINDS = {
    NEW_FOLLOWER: Kind(_("someone starts following me"), NotificationType.FOLLOW),
    COMMENTS_ON_MY_POSTS: Kind(_("someone comments on one of my posts"), NotificationType.COMMENT),
    COMMENTS_AFTER_MINE: Kind(
        _("someone comments after me on a post I asked to follow"), NotificationType.COMMENT
    ),
    COMMENTS_WAITING: Kind(
        _("visitors' comments on my talks wait for my approval"), NotificationType.GUEST_COMMENT
    ),
    MENTIONS: Kind(_("someone mentions me in a post or a comment"), NotificationType.MENTION, email=False),
    REPLIES: Kind(_("someone replies to my comment"), NotificationType.REPLY, email=False),
    LIKES: Kind(_("someone likes my post or my comment"), NotificationType.LIKE, email=False),
    REPORT_OUTCOMES: Kind(_("a moderator resolves something I reported"), NotificationType.MODERATION),
    MODERATION_NOTICES: Kind(_("a moderator warns or suspends me"), NotificationType.MODERATION),
}


@dataclass(frozen=True)
class About:
    """What one in-site notification is about: who did it (None for a guest or the site), the object that
    caused it (a post, a comment, a follow; deleting it deletes the notification), the post it is on, and
    the page it opens."""

    actor: object = None
    target: object = None
    post_id: int | None = None
    url: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Guest:
    """A visitor without an account who asked for emails (a talk's commenter): an address and a name."""

    email: str
    name: str
    pk = None
    language = ""


def notification_kinds():
    """{kind: label} for every kind the site sends."""
    return {kind: info.label for kind, info in KINDS.items()}


def email_kinds():
    """{kind: label} for the kinds that send an email."""
    return {kind: info.label for kind, info in KINDS.items() if info.email}


# --- The recipient rule ---


def recipients(*, kind, actor, candidates):
    """The members among ``candidates`` who may get a ``kind`` notification caused by ``actor`` (a user, or
    None for a guest or the site), as fresh rows ordered by id: one query, whatever the number of candidates.
    Each says on which channels: ``wants_site`` and ``wants_email``; members with both off are left out.

    Never to an inactive account, nor to an address its owner has not confirmed (anyone can sign up with
    someone else's address), nor on a channel where they switched the kind off, nor to the actor about their
    own act, nor to anyone ``_accepting`` refuses (blocks and mutes): on the site as by email.
    """
    email_off = EmailOptOut.objects.filter(user=OuterRef("pk"), kind=kind)
    site_off = SiteOptOut.objects.filter(user=OuterRef("pk"), kind=kind)
    wants_email = ~Q(email="") & ~Exists(email_off) if KINDS[kind].email else Value(False)
    users = User.objects.filter(
        pk__in={user.pk for user in candidates}, is_active=True, confirmed=True
    ).annotate(
        wants_site=~Exists(site_off),
        wants_email=ExpressionWrapper(wants_email, output_field=BooleanField()),
    )
    users = users.filter(Q(wants_site=True) | Q(wants_email=True))
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return list(_accepting(users, actor=actor).order_by("pk"))


def _accepting(users, *, actor):
    """The users, among ``users`` (a QuerySet), who accept notifications caused by ``actor``: not those
    who block or mute the actor, nor those the actor blocks. ``actor`` is None for a guest or the site
    itself, whom nobody can block or mute.

    Blocks and mutes are the social app's, which accounts may not import: each app lists, on its AppConfig,
    functions that answer the ids of the users refusing notifications from an actor as a subquery,

        notification_refusals = ["social.services.refusing_notifications_from"]

    and each becomes one NOT IN clause of this same query (see docs/architecture.md, the registries).
    """
    if actor is None:
        return users
    for refusing in _refusals():
        users = users.exclude(pk__in=refusing(actor))
    return users


def _refusals():
    return [
        import_string(path)
        for app_config in apps.get_app_configs()
        for path in getattr(app_config, "notification_refusals", ())
    ]


# --- Delivery ---


def deliver(recipient, *, kind, about=(), template=None, context=None, scope=None):
    """Tell one recipient (a member ``recipients()`` let through, or a vetted Guest) on their channels.

    On the site (members whose ``wants_site`` the rule set): one Notification for each ``About`` in
    ``about`` (a round of comments makes one per comment). By email (guests, and members whose
    ``wants_email`` the rule set; never for a kind without a ``template``): ``<template>.txt``, ``.html``
    and ``_subject.txt`` rendered in the recipient's language, with a signed unsubscribe link for ``kind``
    (narrowed to ``scope``, such as one post's comments, when given) in the body and in the
    List-Unsubscribe headers, queued for the task backend.
    """
    if recipient.pk and getattr(recipient, "wants_site", False):
        _notify(recipient, KINDS[kind].type, about)
    if template is None or not getattr(recipient, "wants_email", True):
        return
    token = unsubscribe_token(kind=kind, user=recipient if recipient.pk else None, scope=scope)
    send_templated_email(
        to=recipient.email,
        template=template,
        context={**context, "recipient": recipient},
        language=recipient.language or None,
        unsubscribe_url=absolute_url(reverse("accounts:unsubscribe", args=[token])),
    )


def _notify(recipient, notification_type, about):
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=notification_type,
            actor=item.actor,
            target_type=ContentType.objects.get_for_model(item.target) if item.target is not None else None,
            target_id=item.target.pk if item.target is not None else None,
            post_id=item.post_id,
            url=item.url[:500],
            summary=str(item.summary)[:200],
        )
        for item in about
    )
    renew_page_generation(recipient.pk)  # (after the write: with no transaction open, it is committed now)


# --- The generation of a member's notifications page ---
#
# Their page is kept for them (accounts.views.notification_list) under a generation of their own, renewed
# when one of their notifications is made or some are marked read: at once, and again when the write
# commits, so a page drawn meanwhile from the state before it (without the new notification) is kept under
# a generation the commit renews, whatever order concurrent deliveries commit in. Each value is fresh
# (flasky_project.pagecache.renew_generation): one evicted from the cache never brings a page back.


# One a member: they expire (a member who reads nothing for a day gets a new one, and draws their page again)
# rather than pile up for every member who ever had a notification.
PAGE_GENERATION_SECONDS = 24 * 60 * 60


def page_generation_key(user_pk):
    return f"notifications:page-generation:{user_pk}"


def page_generation(user_pk):
    """The generation of the member's notifications page (read ahead on that page), made if none."""
    return pagecache.current_generation(page_generation_key(user_pk), timeout=PAGE_GENERATION_SECONDS)


def renew_page_generation(user_pk):
    """Renew the generation of the member's notifications page, now and when the transaction commits (call it
    after the write)."""
    renew = partial(pagecache.renew_generation, page_generation_key(user_pk), PAGE_GENERATION_SECONDS)
    pagecache.bump_now_and_on_commit(connections[router.db_for_write(Notification)], renew)


# --- The notifications, one function each ---


def new_follower(*, follower, followed, follow=None):
    """Tell ``followed`` that ``follower`` follows them now (``follow``: the row, whose deletion removes the
    site's notification); returns the users told."""
    told = recipients(kind=NEW_FOLLOWER, actor=follower, candidates=[followed])
    profile_path = reverse("profile", args=[follower.username])
    for user in told:
        deliver(
            user,
            kind=NEW_FOLLOWER,
            about=[About(actor=follower, target=follow, url=profile_path)],
            template="social/email/new_follower",
            context={"follower": follower, "profile_path": profile_path},
        )
    return told


def new_comments(*, post, news, locations=None):
    """Tell each subscriber of ``post`` about the comments that are new to them; returns how many were told.
    One email for all of them, one site notification for each (opening ``locations[comment.pk]``, the
    comment's place on its page, or else the post's page at the comment).

    ``news`` pairs each subscription (a member's or a guest's: ``user``, ``email``, ``name``, ``pk``) with its
    new comments, oldest first, as the blog's round worked them out. The post's author hears under
    COMMENTS_ON_MY_POSTS, everyone else under COMMENTS_AFTER_MINE. A member hears only about the comments
    whose writer the rule lets reach them, so the rule is asked once per kind and writer.
    """
    allowed, rows = _allowed_writers(post, news)
    told = 0
    for subscription, comments in news:
        member = subscription.user
        kind = COMMENTS_ON_MY_POSTS if member and member.pk == post.author_id else COMMENTS_AFTER_MINE
        if member:
            comments = [comment for comment in comments if (comment.author_id, member.pk) in allowed]
        if not comments:
            continue
        recipient = rows[member.pk] if member else Guest(email=subscription.email, name=subscription.name)
        # A comment that mentioned or answered the member told them already on the site: one notification
        # per event.
        told_on_site = _not_yet_told(recipient, EVENT_TYPES, comments) if member else []
        deliver(
            recipient,
            kind=kind,
            about=[_about_comment(comment, post, locations) for comment in told_on_site],
            scope=("comments", subscription.pk),
            template="blog/email/new_comments",
            context={
                "recipient_name": member.username if member else subscription.name,
                "post": post,
                "is_author": kind == COMMENTS_ON_MY_POSTS,
                "comments": comments,
                "post_url": absolute_url(f"{post.get_absolute_url()}?page=last#comments"),
                "preferences_url": absolute_url(reverse("accounts:email_preferences")) if member else "",
            },
        )
        told += 1
    return told


def _about_comment(comment, post, locations):
    url = (locations or {}).get(comment.pk) or f"{post.get_absolute_url()}#comment-{comment.pk}"
    return About(actor=comment.author, target=comment, post_id=post.pk, url=url, summary=str(post))


def _allowed_writers(post, news):
    """{(writer id or None, member id)}: which members may hear about which writers' comments; and
    {member id: the rule's row}, which says on which channels (they depend on the kind, not the writer)."""
    members = {subscription.user for subscription, _comments in news if subscription.user}
    writers = {comment.author_id: comment.author for _subscription, comments in news for comment in comments}
    groups = (
        (COMMENTS_ON_MY_POSTS, [user for user in members if user.pk == post.author_id]),
        (COMMENTS_AFTER_MINE, [user for user in members if user.pk != post.author_id]),
    )
    allowed, rows = set(), {}
    for writer_id, writer in writers.items():
        for kind, candidates in groups:
            if candidates:
                for user in recipients(kind=kind, actor=writer, candidates=candidates):
                    allowed.add((writer_id, user.pk))
                    rows[user.pk] = user
    return allowed, rows


def comments_waiting(*, talk, comments):
    """Tell a talk's speaker that visitors' ``comments`` wait for their approval; returns the users told.

    The actor is None: the comments are guests', who have no account to block or mute. The email lists every
    comment still waiting; the site tells of each comment once (the queue's page opens them all)."""
    told = recipients(kind=COMMENTS_WAITING, actor=None, candidates=[talk.speaker])
    queue_path = reverse("talks:moderate")
    for user in told:
        new = _not_yet_told(user, NotificationType.GUEST_COMMENT, comments)
        deliver(
            user,
            kind=COMMENTS_WAITING,
            about=[
                About(target=comment, post_id=comment.post_id, url=queue_path, summary=str(talk))
                for comment in new
            ],
            template="talks/email/moderation_needed",
            context={
                "recipient_name": user.username,
                "talk": talk,
                "comments": comments,
                "talk_url": absolute_url(f"{talk.get_absolute_url()}?page=last#comments"),
                "queue_url": absolute_url(queue_path),
            },
        )
    return told


def new_mentions(*, author, mentioned, target, post, url):
    """Tell the ``mentioned`` users that ``author`` mentioned them in ``target`` (a post or a comment on
    ``post``, at ``url``); returns the users told. The blog calls it once per user and post or
    comment (it keeps who was mentioned already); on the site only, and in the digest."""
    told = recipients(kind=MENTIONS, actor=author, candidates=mentioned)
    # A reply that mentions the author it answers told them already (as a reply): one notification per event.
    told = [user for user in told if _not_yet_told(user, NotificationType.REPLY, [target])]
    for user in told:
        about = About(actor=author, target=target, post_id=post.pk, url=url, summary=str(post))
        deliver(user, kind=MENTIONS, about=[about])
    return told


# The notifications a new comment can make for one person besides the round's: each tells of the comment.
EVENT_TYPES = (NotificationType.MENTION, NotificationType.REPLY)


def _not_yet_told(user, notification_type, targets):
    """The ``targets`` that ``user`` has no notification of this type (or of these types) about yet: one query
    (none when the user does not hear of this on the site)."""
    if not targets or not getattr(user, "wants_site", False):
        return []
    types = notification_type if isinstance(notification_type, tuple) else (notification_type,)
    known = set(
        Notification.objects.filter(
            recipient=user,
            kind__in=types,
            target_type=ContentType.objects.get_for_model(targets[0]),
            target_id__in=[target.pk for target in targets],
        ).values_list("target_id", flat=True)
    )
    return [target for target in targets if target.pk not in known]


def report_outcome(*, report, outcome):
    """Tell whoever filed ``report`` (moderation.Report, resolved) what came of it: ``outcome`` is the
    sentence that says so. The actor is None: the site answers, and the moderator stays anonymous.
    Returns the users emailed."""
    emailed = recipients(kind=REPORT_OUTCOMES, actor=None, candidates=[report.reporter])
    for user in emailed:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            about = About(target=report, summary=str(outcome)[:200])  # in the reader's language
        deliver(
            user,
            kind=REPORT_OUTCOMES,
            about=[about],
            template="moderation/email/report_outcome",
            context={"recipient_name": user.username, "report": report, "outcome": outcome},
        )
    return emailed


def moderation_notice(*, sanction):
    """Tell a member about a warning or a suspension (moderation.Sanction). Returns the users emailed."""
    emailed = recipients(kind=MODERATION_NOTICES, actor=None, candidates=[sanction.user])
    for user in emailed:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            about = About(target=sanction, summary=str(sanction.get_kind_display())[:200])
        deliver(
            user,
            kind=MODERATION_NOTICES,
            about=[about],
            template="moderation/email/sanction",
            context={"recipient_name": user.username, "sanction": sanction},
        )
    return emailed


def liked(*, liker, post=None, comment=None, post_of_comment=None, url=""):
    """Tell the author of the liked ``post`` or ``comment`` (on ``post_of_comment``) on the site (no email);
    returns the users told. A guest's comment has no one to tell. Likes of one thing on one day are grouped
    on the notifications page ("alice and 3 others liked your post")."""
    target = post if post is not None else comment
    on = post if post is not None else post_of_comment
    if target.author_id is None:
        return []
    told = recipients(kind=LIKES, actor=liker, candidates=[User(pk=target.author_id)])
    for user in told:
        about = About(
            actor=liker, target=target, post_id=on.pk, url=url or on.get_absolute_url(), summary=str(on)
        )
        deliver(user, kind=LIKES, about=[about])
    return told


def replied(*, reply, to, url=""):
    """Tell the author of the comment ``to`` that ``reply`` answers it (on the site only: the post's
    subscribers already hear about every new comment by email, in rounds); returns the users told."""
    if to.author_id is None:
        return []
    post = reply.post
    told = recipients(kind=REPLIES, actor=reply.author, candidates=[User(pk=to.author_id)])
    for user in told:
        link = url or f"{post.get_absolute_url()}#comment-{reply.pk}"
        about = About(actor=reply.author, target=reply, post_id=post.pk, url=link, summary=str(post))
        deliver(user, kind=REPLIES, about=[about])
    return told


# --- Preferences ---


def set_preferences(user, *, email, site, digest=False):
    """Switch every kind on or off for the user, by email (the ``email`` kinds) and on the site (``site``),
    and the daily digest, as the preferences form says."""
    with transaction.atomic():
        for kind, info in KINDS.items():
            if info.email:
                if kind in email:
                    EmailOptOut.objects.filter(user=user, kind=kind).delete()
                else:
                    switch_off(user, kind)
            if kind in site:
                SiteOptOut.objects.filter(user=user, kind=kind).delete()
            else:
                _create_quietly(SiteOptOut, user=user, kind=kind)
        set_digest(user, digest)


def switch_off(user, kind):
    _create_quietly(EmailOptOut, user=user, kind=kind)


def wants_digest(user):
    return NotificationDigest.objects.filter(user=user).exists()


def set_digest(user, on):
    if on:
        _create_quietly(NotificationDigest, user=user)
    else:
        NotificationDigest.objects.filter(user=user).delete()


def _create_quietly(model, **fields):
    try:
        with transaction.atomic():
            model.objects.get_or_create(**fields)
    except IntegrityError:
        pass  # a concurrent request switched it first: the outcome is the same


# --- Unsubscribing ---
#
# One signed token format under one salt: {"kind": kind, "user": id, "scope": [name, key]}, where "user" is
# absent for guests and "scope" is present when the link stops only part of a kind (one post's comments).
# A scope belongs to the app that owns what it names: the app lists a finder for it on its AppConfig,
#
#     unsubscribe_scopes = {"comments": "blog.services.find_comment_subscription"}
#
# and the finder answers ``finder(key) -> Subscription | None``. Links in emails sent before this format keep
# working: the accounts links were this format without a scope, and the blog's signed {"subscription": id}
# under its own salt, which is read as the "comments" scope.

UNSUBSCRIBE_SALT = "accounts.unsubscribe"
LEGACY_BLOG_SALT = "blog.comment-subscription"
DIGEST_TOPIC = _("I have unread notifications (the daily digest)")


@dataclass(frozen=True)
class Subscription:
    """What an unsubscribe link stops, for its page: the address, which emails (``topic`` completes "Stop
    emailing … when"), how to stop them, whether the address is a member's (who has preferences to go back
    to) and, for a scoped link, the page the emails were about."""

    address: str
    topic: str
    stop: Callable[[], object]
    member: bool
    url: str = ""


def unsubscribe_token(*, kind, user=None, scope=None):
    data = {"kind": kind}
    if user is not None:
        data["user"] = user.pk
    if scope is not None:
        data["scope"] = list(scope)
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """The Subscription a link stops, or None if its token was tampered with or names nothing that exists."""
    data = _load_token(token)
    try:
        if "scope" in data:
            name, key = data["scope"]
            finder = _scope_finders().get(name)
            return finder(key) if finder else None
        user, kind = User.objects.get(pk=data["user"]), data["kind"]
    except (User.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if kind == DIGEST:
        return Subscription(
            address=user.email, topic=DIGEST_TOPIC, stop=partial(set_digest, user, False), member=True
        )
    if kind not in email_kinds():
        return None
    return Subscription(
        address=user.email, topic=KINDS[kind].label, stop=partial(switch_off, user, kind), member=True
    )


def _load_token(token):
    """The token's data as a dict (empty when it is not a valid token of either format)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        try:
            data = {"scope": ["comments", signing.loads(token, salt=LEGACY_BLOG_SALT)["subscription"]]}
        except (signing.BadSignature, KeyError, TypeError):
            data = {}
    return data if isinstance(data, dict) else {}


def _scope_finders():
    finders = {}
    for app_config in apps.get_app_configs():
        for name, path in getattr(app_config, "unsubscribe_scopes", {}).items():
            finders[name] = import_string(path)
    return finders
