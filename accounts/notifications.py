"""Every notification the site sends, the one rule for who may receive it, and the one place it is delivered.

The one path. Each kind is listed in ``KINDS`` below and sent by one small function further down (as
healthchecks keeps every email in ``hc/lib/emails.py``): ``new_follower`` (social), ``new_comments`` (blog),
``comments_waiting`` (talks). It lives in accounts, the lowest app, because every sender imports it and it
imports none of them: each function takes the objects it speaks about from its caller and reads only their
attributes, and names the higher apps' pages by URL name. A new kind (a mention, a report's outcome) is one
entry in ``KINDS``, one function here, and its templates.

Three steps, each in one place:

- The sender decides who is *concerned* (the followed user, a post's subscribers, a talk's speaker);
  guests (visitors without an account, who commented on a talk) are the blog's to vet, as only it knows
  whether one of their comments was approved.
- ``recipients()`` decides which members *may receive* it: active, a confirmed address, the kind not switched
  off, not the actor, and whatever ``_accepting()`` says about the actor (blocks and mutes go there).
- ``deliver()`` sends it to one recipient, with an unsubscribe link (see Unsubscribing below): the email
  through the task queue, and (issue 13, not built yet) the in-site notification from the same call.

Every kind is on until the user switches it off on the email-preferences page or through the unsubscribe link
in one of those emails; only the opt-outs are stored (``EmailOptOut``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import EmailOptOut, User
from flasky_project.email import absolute_url, send_templated_email

NEW_FOLLOWER = "new_follower"
COMMENTS_ON_MY_POSTS = "comments_on_my_posts"
COMMENTS_AFTER_MINE = "comments_after_mine"
COMMENTS_WAITING = "comments_waiting"
# Shown on the site only (no email): someone liked, or replied to, what I wrote.
LIKE = "like"
REPLY = "reply"

# Every kind, in the order of the preferences page.
KINDS = {
    NEW_FOLLOWER: _("someone starts following me"),
    COMMENTS_ON_MY_POSTS: _("someone comments on one of my posts"),
    COMMENTS_AFTER_MINE: _("someone comments after me on a post I asked to follow"),
    COMMENTS_WAITING: _("visitors' comments on my talks wait for my approval"),
}


@dataclass(frozen=True)
class Guest:
    """A visitor without an account who asked for emails (a talk's commenter): an address and a name."""

    email: str
    name: str
    pk = None
    language = ""


def notification_kinds():
    """{kind: label} for every kind the site sends."""
    return dict(KINDS)


# --- The recipient rule ---


def recipients(*, kind, actor, candidates):
    """The members among ``candidates`` who may get a ``kind`` notification caused by ``actor`` (a user, or
    None for a guest or the site), as fresh rows ordered by id: one query, whatever the number of candidates.

    Never to an inactive account, nor to an address its owner has not confirmed (anyone can sign up with
    someone else's address), nor to someone who switched the kind off, nor to the actor about their own act.
    """
    users = User.objects.filter(
        pk__in={user.pk for user in candidates}, is_active=True, confirmed=True
    ).exclude(email="")
    users = users.exclude(email_opt_outs__kind=kind)
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return list(_accepting(users, actor=actor).order_by("pk"))


def _accepting(users, *, actor):
    """The users, among ``users`` (a QuerySet), who accept notifications caused by ``actor``.

    Everyone, today. The trust-and-safety issue adds its clause here, in SQL, and nowhere else: not when the
    user blocked or muted the actor, nor when the actor blocked the user. ``actor`` is None for a guest or
    the site itself.
    """
    return users


# --- Delivery ---


def deliver(recipient, *, kind, template, context, scope=None, email=True):
    """Send one notification to one recipient (a member ``recipients()`` let through, or a vetted Guest).

    The email renders ``<template>.txt``, ``.html`` and ``_subject.txt`` in the recipient's language, with a
    signed unsubscribe link for ``kind`` (narrowed to ``scope``, such as one post's comments, when given) in
    the body and in the List-Unsubscribe headers, and is queued for the task backend.

    Issue 13's in-site notification is to be created here as well, for members (``recipient.pk``), from
    this same call: then the site and the email can never disagree about who is told. It will need the
    actor and the thing the notification is about, which each function below already has at hand.
    ``email=False`` for the kinds shown on the site only (likes, replies).
    """
    if not email:
        return
    token = unsubscribe_token(kind=kind, user=recipient if recipient.pk else None, scope=scope)
    send_templated_email(
        to=recipient.email,
        template=template,
        context={**context, "recipient": recipient},
        language=recipient.language or None,
        unsubscribe_url=absolute_url(reverse("accounts:unsubscribe", args=[token])),
    )


# --- The notifications, one function each ---


def new_follower(*, follower, followed):
    """Tell ``followed`` that ``follower`` follows them now; returns the users emailed."""
    emailed = recipients(kind=NEW_FOLLOWER, actor=follower, candidates=[followed])
    for user in emailed:
        deliver(
            user,
            kind=NEW_FOLLOWER,
            template="social/email/new_follower",
            context={"follower": follower, "profile_path": reverse("profile", args=[follower.username])},
        )
    return emailed


def new_comments(*, post, news):
    """Tell each subscriber of ``post`` about the comments that are new to them; returns how many were told.

    ``news`` pairs each subscription (a member's or a guest's: ``user``, ``email``, ``name``, ``pk``) with its
    new comments, oldest first, as the blog's round worked them out. The post's author hears under
    COMMENTS_ON_MY_POSTS, everyone else under COMMENTS_AFTER_MINE. A member hears only about the comments
    whose writer the rule lets reach them, so the rule is asked once per kind and writer.
    """
    allowed = _allowed_writers(post, news)
    told = 0
    for subscription, comments in news:
        member = subscription.user
        kind = COMMENTS_ON_MY_POSTS if member and member.pk == post.author_id else COMMENTS_AFTER_MINE
        if member:
            comments = [comment for comment in comments if (comment.author_id, member.pk) in allowed]
        if not comments:
            continue
        deliver(
            member or Guest(email=subscription.email, name=subscription.name),
            kind=kind,
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


def _allowed_writers(post, news):
    """{(writer id or None, member id)}: which members may hear about which writers' comments."""
    members = {subscription.user for subscription, _comments in news if subscription.user}
    writers = {comment.author_id: comment.author for _subscription, comments in news for comment in comments}
    groups = (
        (COMMENTS_ON_MY_POSTS, [user for user in members if user.pk == post.author_id]),
        (COMMENTS_AFTER_MINE, [user for user in members if user.pk != post.author_id]),
    )
    allowed = set()
    for writer_id, writer in writers.items():
        for kind, candidates in groups:
            if candidates:
                allowed |= {
                    (writer_id, user.pk)
                    for user in recipients(kind=kind, actor=writer, candidates=candidates)
                }
    return allowed


def comments_waiting(*, talk, comments):
    """Tell a talk's speaker that visitors' ``comments`` wait for their approval; returns the users emailed.

    The actor is None: the comments are guests', who have no account to block or mute."""
    emailed = recipients(kind=COMMENTS_WAITING, actor=None, candidates=[talk.speaker])
    for user in emailed:
        deliver(
            user,
            kind=COMMENTS_WAITING,
            template="talks/email/moderation_needed",
            context={
                "recipient_name": user.username,
                "talk": talk,
                "comments": comments,
                "talk_url": absolute_url(f"{talk.get_absolute_url()}?page=last#comments"),
                "queue_url": absolute_url(reverse("talks:moderate")),
            },
        )
    return emailed


def liked(*, liker, post=None, comment=None):
    """Tell the author of the liked ``post`` or ``comment`` (on the site only: no email); returns the users
    told. A guest's comment has no one to tell."""
    target = post if post is not None else comment
    if target.author_id is None:
        return []
    told = recipients(kind=LIKE, actor=liker, candidates=[User(pk=target.author_id)])
    for user in told:
        deliver(
            user,
            kind=LIKE,
            template="",
            context={"actor": liker, "post": post, "comment": comment},
            email=False,
        )
    return told


def replied(*, reply, to):
    """Tell the author of the comment ``to`` that ``reply`` answers it (on the site only: the post's
    subscribers already hear about every new comment by email, in rounds); returns the users told."""
    if to.author_id is None:
        return []
    told = recipients(kind=REPLY, actor=reply.author, candidates=[User(pk=to.author_id)])
    for user in told:
        deliver(user, kind=REPLY, template="", context={"actor": reply.author, "comment": reply}, email=False)
    return told


# --- Preferences ---


def set_preferences(user, enabled_kinds):
    """Switch every kind on or off for the user, as the preferences form says."""
    with transaction.atomic():
        for kind in KINDS:
            if kind in enabled_kinds:
                EmailOptOut.objects.filter(user=user, kind=kind).delete()
            else:
                switch_off(user, kind)


def switch_off(user, kind):
    try:
        with transaction.atomic():
            EmailOptOut.objects.get_or_create(user=user, kind=kind)
    except IntegrityError:
        pass  # a concurrent request switched it off first: the outcome is the same


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
    if kind not in KINDS:
        return None
    return Subscription(
        address=user.email, topic=KINDS[kind], stop=partial(switch_off, user, kind), member=True
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
