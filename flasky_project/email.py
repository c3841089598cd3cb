"""Email helper: subject prefix, plain-text and HTML bodies, absolute links, sent through the task queue."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from flasky_project.tasks import enqueue_after_commit, send_email


def site_url(request=None):
    """The scheme and host links in emails start with: the request's if there is one, else SITE_URL."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL


def absolute_url(path, request=None):
    return f"{site_url(request)}{path}"


def send_templated_email(
    *, to, template, context, subject=None, request=None, language=None, headers=None, unsubscribe_url=None
):
    """Render ``<template>.txt`` and ``<template>.html`` and queue them for delivery to one address.

    The subject is ``subject``, or else rendered from ``<template>_subject.txt`` (which lets it contain
    names and still be translated). ``language`` is the recipient's preference: the email is written in it
    (else in the language of the current request). ``unsubscribe_url`` (absolute) goes into the context and
    into the List-Unsubscribe headers, with RFC 8058's one-click POST.
    """
    if unsubscribe_url:
        headers = {
            **(headers or {}),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        context = {**context, "unsubscribe_url": unsubscribe_url}
    with translation.override(language or translation.get_language()):
        context = {**context, "site_url": site_url(request), "site_name": settings.SITE_NAME}
        if subject is None:
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context).strip()
        html = render_to_string(f"{template}.html", context)
        queue_email(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            body=body,
            html=html,
            to=[to],
            headers=headers,
        )


def queue_email(*, subject, body, to, html=None, from_email=None, headers=None):
    enqueue_after_commit(
        send_email,
        subject=str(subject),
        body=body,
        to=list(to),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        html=html,
        headers=dict(headers or {}),
    )


def queue_message(message):
    """Queue an already rendered EmailMessage (allauth renders its own)."""
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
        None,
    )
    queue_email(
        subject=message.subject,
        body=message.body,
        to=message.to,
        html=html,
        from_email=message.from_email,
        headers=message.extra_headers,
    )
