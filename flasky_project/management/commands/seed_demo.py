"""manage.py seed_demo: demo accounts with known passwords, and fake data around them (idempotent)."""

from datetime import timedelta

from django.core.management import call_command, load_command_class
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts import services
from accounts.models import Role, User

DEMO_PASSWORD = "flasky-demo"
DEMO_ACCOUNTS = [
    ("admin@example.com", "admin", Role.ADMINISTRATOR, "Ada Admin", "London"),
    ("moderator@example.com", "moderator", Role.MODERATOR, "Max Moderator", "Berlin"),
    ("alice@example.com", "alice", Role.USER, "Alice Liddell", "Oxford"),
    ("bob@example.com", "bob", Role.USER, "Roberto Gómez", "Madrid"),
]
# Sizes for each fakedata option that exists (apps add options as they arrive).
DEMO_SIZES = {
    "users": 40,
    "follows_per_user": 8,
    "posts": 300,
    "pictures": 6,
    "comments": 900,
    "talks": 15,
    "likes": 1500,
    "bookmarks": 150,
}


class Command(BaseCommand):
    help = "Create the demo accounts and, on an empty site, some fake data. Prints the demo credentials."

    def handle(self, *args, **options):
        for email, username, role, name, location in DEMO_ACCOUNTS:
            if not User.objects.by_email(email).exists():
                user = services.create_user(email=email, username=username, password=DEMO_PASSWORD, role=role)
                joined = timezone.now() - timedelta(days=700)
                User.objects.filter(pk=user.pk).update(name=name, location=location, member_since=joined)
        if User.objects.count() <= len(DEMO_ACCOUNTS):
            call_command("fakedata", *self._fakedata_args(), stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, username, role, _name, _location in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {username:<10} {role.label}")

    def _fakedata_args(self):
        parser = load_command_class("flasky_project", "fakedata").create_parser("manage.py", "fakedata")
        known = {action.dest for action in parser._actions}
        args = ["--seed", "2026"]
        for dest, size in DEMO_SIZES.items():
            if dest in known:
                args += [f"--{dest.replace('_', '-')}", str(size)]
        return args
