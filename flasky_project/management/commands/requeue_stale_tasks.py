"""manage.py requeue_stale_tasks: give tasks whose worker died mid-task to the next worker."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = (
        "Put tasks that have been running for longer than --after seconds back in the queue: their worker "
        "was killed or lost its machine. Run it every few minutes (deploy/ has a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--after", type=int, default=900, help="Seconds a task may run (default 900).")

    def handle(self, *args, after, **options):
        stale = DBTaskResult.objects.running().filter(
            started_at__lt=timezone.now() - timedelta(seconds=after)
        )
        count = stale.update(status=TaskResultStatus.READY, run_after=timezone.now(), started_at=None)
        self.stdout.write(f"{count} stale task(s) put back in the queue.")
