"""Background tasks shared by every app, and how they are queued and retried."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

# A mail server that is down, or answers "try again later" (4xx), may take the email later; socket errors
# and timeouts are OSErrors.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def _is_permanent(error):
    """A 5xx answer (no such mailbox, say) will not change by waiting. Wrong credentials (535) are the
    operator's to fix, so those emails wait for the fix like any other."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return (
        isinstance(error, smtplib.SMTPResponseException)
        and not isinstance(error, smtplib.SMTPAuthenticationError)
        and error.smtp_code >= 500
    )


@task()
def send_email(*, subject, body, to, from_email=None, html=None, headers=None, attempt=1):
    """Deliver one rendered email. Arguments are plain JSON so that the database queue can store them.

    When the mail server is down or refuses for now, another attempt is queued with a growing delay
    (FLASKY_EMAIL_RETRY_DELAYS; this attempt still fails, so it shows in the admin's task list with its
    traceback); after the last delay the email is given up, logged as an error. A permanent refusal (5xx)
    is given up at once.
    """
    message = EmailMultiAlternatives(
        subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to, headers=headers or None
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except MAIL_ERRORS as error:
        if _is_permanent(error):
            logger.error("The mail server refused an email to %s for good: %s", to, error)
            raise
        _retry_email(
            error,
            attempt,
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            html=html,
            headers=headers,
        )
        raise


def _retry_email(error, attempt, **email):
    backend = send_email.get_backend()
    delays = settings.FLASKY_EMAIL_RETRY_DELAYS
    if attempt > len(delays) or not backend.supports_defer:
        logger.error("Giving up on an email to %s after %d attempt(s): %s", email["to"], attempt, error)
        return
    delay = delays[attempt - 1]
    send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        **email, attempt=attempt + 1
    )
    logger.warning("Email to %s failed (%s); attempt %d in %d s", email["to"], error, attempt + 1, delay)


def enqueue_after_commit(task_, **kwargs):
    """Queue a task so that it never acts on data that was rolled back.

    The database backend stores the task row inside the current transaction, so the task commits (or rolls
    back) together with the data that caused it and nothing is lost between the two. Other backends run or
    ship the task at once, so they are called only after the transaction commits.
    """
    if isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task_.enqueue(**kwargs), robust=True)


# A marker older than this past its due time belongs to a task that failed or was lost: it no longer holds
# back new work (the next one replaces it).
STALE_MARKER = timedelta(hours=1)


def enqueue_once(marker, task_, *, delay, **kwargs):
    """Queue ``task_(**kwargs)`` to run after ``delay`` seconds unless it is queued already, so that work
    which arrives meanwhile is done in the same run (one email per round, say).

    ``marker`` is an unsaved row whose primary key names the work (one per post, say) and which has a
    ``due`` field; the task deletes its marker when it starts. Returns whether it queued the task."""
    now = timezone.now()
    marker.due = now + timedelta(seconds=delay)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                marker.save(force_insert=True)
            break
        except IntegrityError:
            stale = type(marker).objects.filter(pk=marker.pk, due__lt=now - STALE_MARKER)
            if not stale.delete()[0]:
                return False  # queued already: that run will include this work
    else:
        return False
    if delay and task_.get_backend().supports_defer:
        task_ = task_.using(run_after=marker.due)
    enqueue_after_commit(task_, **kwargs)
    return True
