"""manage.py deploy: everything a release needs, safe to run on every deploy (idempotent)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.services import promote_flasky_admins


class Command(BaseCommand):
    help = "Migrate the database, promote FLASKY_ADMIN accounts and collect static files."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        promoted = promote_flasky_admins()
        self.stdout.write(f"{promoted} FLASKY_ADMIN account(s) promoted to Administrator.")
        if settings.STATICFILES_MANIFEST:
            call_command("collectstatic", interactive=False, verbosity=min(verbosity, 1))
        self.stdout.write(self.style.SUCCESS("Deploy finished."))
