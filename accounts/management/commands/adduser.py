"""manage.py adduser EMAIL USERNAME [--role R] [--admin] [--unconfirmed] [--noinput]."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts import services
from accounts.models import Role, User
from accounts.validators import USERNAME_MAX_LENGTH, validate_username

PASSWORD_ENV = "DJANGO_USER_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create a user (confirmed unless --unconfirmed). The password is asked twice, "
        "or read from $DJANGO_USER_PASSWORD with --noinput."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("username")
        parser.add_argument(
            "--role", choices=Role.values, default=None, help="The user's role (default: user)."
        )
        parser.add_argument("--admin", action="store_true", help="Same as --role administrator.")
        parser.add_argument("--unconfirmed", action="store_true", help="Leave the email address unconfirmed.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt; read the password from ${PASSWORD_ENV}.",
        )

    def handle(self, *args, email, username, role, admin, unconfirmed, interactive, **options):
        if admin and role not in (None, Role.ADMINISTRATOR):
            raise CommandError("--admin and --role disagree: --admin means --role administrator.")
        email = email.strip().lower()
        self._check_identity(email, username)
        password = self._password(interactive, email, username)
        user = services.create_user(
            email=email,
            username=username,
            password=password,
            role=Role.ADMINISTRATOR if admin else role,
            confirmed=not unconfirmed,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.get_role_display()} {user.username} <{user.email}>.")
        )

    def _check_identity(self, email, username):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Invalid email address: {email}") from error
        if not username or len(username) > USERNAME_MAX_LENGTH:
            raise CommandError(f"Usernames must have 1 to {USERNAME_MAX_LENGTH} characters.")
        try:
            validate_username(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if User.objects.by_email(email).exists():
            raise CommandError(f"Email already registered: {email}")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"Username already in use: {username}")

    def _password(self, interactive, email, username):
        if interactive:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords do not match.")
        else:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"With --noinput, set the password in ${PASSWORD_ENV}.")
        try:
            validate_password(password, User(email=email, username=username))
        except ValidationError as error:
            raise CommandError("Password not accepted: " + " ".join(error.messages)) from error
        return password
