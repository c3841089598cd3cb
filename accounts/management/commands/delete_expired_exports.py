"""manage.py delete_expired_exports: remove data exports that were downloaded or have expired (run it hourly
from cron or the scheduler; the files are in default_storage)."""

from django.core.management.base import BaseCommand

from accounts.personal_data import delete_expired_exports


class Command(BaseCommand):
    help = "Delete the files of downloaded or expired data exports, and the expired exports' records."

    def handle(self, *args, **options):
        count = delete_expired_exports()
        self.stdout.write(f"Deleted {count} expired data export(s).")
