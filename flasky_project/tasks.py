"""Background tasks shared by every app (run by the configured django-tasks backend)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task
from django_tasks_db import DatabaseBackend


@task()
def send_email(*, subject, body, to, from_email=None, html=None, headers=None):
    """Deliver one rendered email. Arguments are plain JSON so that the database queue can store them."""
    message = EmailMultiAlternatives(
        subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to, headers=headers or None
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


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
