"""The speaker's "comments wait for your approval" email, run by the task backend."""

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from blog.models import Comment
from flasky_project.email import absolute_url, send_templated_email
from talks.models import PendingModerationEmail, Talk


@task()
def send_moderation_request(talk_id):
    """Email the speaker the comments on their talk that wait for approval (none left: no email).

    The queued marker is removed first, so a comment that arrives while this runs queues another email
    instead of being missed."""
    with transaction.atomic():
        PendingModerationEmail.objects.filter(talk_id=talk_id).delete()
        talk = Talk.objects.select_related("post__author").filter(pk=talk_id).first()
        if talk is None or not talk.speaker.is_active:
            return 0
        pending = list(Comment.objects.on(talk.post).pending().oldest_first())
        if not pending:
            return 0
        speaker = talk.speaker
        send_templated_email(
            to=speaker.email,
            template="talks/email/moderation_needed",
            context={
                "recipient_name": speaker.username,
                "talk": talk,
                "comments": pending,
                "talk_url": absolute_url(f"{talk.get_absolute_url()}?page=last#comments"),
                "queue_url": absolute_url(reverse("talks:moderate")),
            },
            language=speaker.language or None,
        )
        return 1
