"""The speaker's "comments wait for your approval" email, run by the task backend."""

from django.db import transaction
from django_tasks import task

from accounts import notifications
from blog.models import Comment
from talks.models import PendingModerationEmail, Talk


@task()
def send_moderation_request(talk_id):
    """Email the speaker the comments on their talk that wait for approval (none left: no email); returns
    how many were emailed. Whether the speaker may receive it is the one recipient rule's to say
    (accounts.notifications).

    The queued marker is removed first, so a comment that arrives while this runs queues another email
    instead of being missed."""
    with transaction.atomic():
        PendingModerationEmail.objects.filter(talk_id=talk_id).delete()
        talk = Talk.objects.select_related("post__author").filter(pk=talk_id).first()
        if talk is None:
            return 0
        pending = list(Comment.objects.on(talk.post).pending().oldest_first())
        if not pending:
            return 0
        return len(notifications.comments_waiting(talk=talk, comments=pending))
