"""Notification emails: the kinds apps send, each user's opt-outs, and signed unsubscribe links.

An app declares the kinds it sends on its AppConfig::

    email_notifications = {"new_follower": _("Someone starts following me")}

Every kind is on until the user switches it off on the email-preferences page or through the unsubscribe
link in one of those emails; only the opt-outs are stored.
"""

from django.apps import apps
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import EmailOptOut, User
from flasky_project.email import absolute_url, send_templated_email

UNSUBSCRIBE_SALT = "accounts.unsubscribe"


def notification_kinds():
    """{kind: label} for every kind any installed app sends, in app order."""
    kinds = {}
    for app_config in apps.get_app_configs():
        kinds.update(getattr(app_config, "email_notifications", {}))
    return kinds


def opted_out(users, kind):
    """The ids, among ``users``, of those who switched ``kind`` off: one query for any number of users."""
    ids = [user.pk for user in users]
    return set(EmailOptOut.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", flat=True))


def set_preferences(user, enabled_kinds):
    """Switch every known kind on or off for the user, as the preferences form says."""
    with transaction.atomic():
        for kind in notification_kinds():
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


def unsubscribe_token(user, kind):
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(user, kind) from a token, or None if it was tampered with or names nothing that exists."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["user"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    kind = data.get("kind")
    return (user, kind) if kind in notification_kinds() else None


def notify(recipients, *, kind, template, context, request=None):
    """Email each recipient who has not switched ``kind`` off; returns those emailed.

    Renders ``<template>.txt``, ``.html`` and ``_subject.txt`` once per recipient, in the recipient's
    language, with a signed unsubscribe link in the body and in the List-Unsubscribe headers (one-click).
    """
    # Never to an address its owner has not confirmed: anyone can sign up with someone else's address.
    recipients = [user for user in recipients if user.is_active and user.confirmed and user.email]
    excluded = opted_out(recipients, kind)
    emailed = []
    for user in recipients:
        if user.pk in excluded:
            continue
        unsubscribe = absolute_url(
            reverse("accounts:unsubscribe", args=[unsubscribe_token(user, kind)]), request
        )
        send_templated_email(
            to=user.email,
            template=template,
            context={**context, "recipient": user},
            request=request,
            language=user.language or None,
            unsubscribe_url=unsubscribe,
        )
        emailed.append(user)
    return emailed
