"""Email the daily digest of unread notifications to the users who asked for it (run once a day)."""

from django.core.management.base import BaseCommand

from accounts import inbox


class Command(BaseCommand):
    help = "Email each user who asked for it a digest of their unread notifications since the last one."

    def handle(self, *args, **options):
        emailed = inbox.send_digests()
        self.stdout.write(f"Sent {emailed} digest(s).")
