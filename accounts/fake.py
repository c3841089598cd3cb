"""Fake users for `manage.py fakedata --users N` (all with the password "password", as in Flasky)."""

import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User, initial_role
from flasky_project.fakedata import batched, register

FAKE_PASSWORD = "password"


def add_arguments(parser, count_type):
    parser.add_argument("--users", type=count_type, default=0, help="How many users to create.")


@register(order=10, name="users", add_arguments=add_arguments)
def generate_users(options, *, rng, faker, progress):
    total = options["users"]
    if not total:
        return None
    # Hashing is the slow part of creating a user: hash the shared password once for all of them.
    password = make_password(FAKE_PASSWORD)
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    now = timezone.now()
    for start, count in batched(total):
        users = [_fake_user(faker, rng, taken, password, now) for _ in range(count)]
        with transaction.atomic():
            created = User.objects.bulk_create(users)
            if not created or created[0].pk is None:  # backends that do not return ids (older SQLite)
                created = list(User.objects.filter(email__in=[user.email for user in users]))
            EmailAddress.objects.bulk_create(
                EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in created
            )
        progress("users", start + count, total)
    return total


def _fake_user(faker, rng, taken, password, now):
    username = _unique_username(faker, rng, taken)
    member_since = now - timedelta(days=rng.randint(1, 3 * 365), seconds=rng.randint(0, 86_400))
    email = f"{username.lower()}@example.com"
    return User(
        email=email,
        username=username,
        password=password,
        confirmed=True,
        role=initial_role(email),
        name=faker.name()[:64],
        location=faker.city()[:64],
        about_me=faker.text(max_nb_chars=200),
        member_since=member_since,
        last_seen=member_since + (now - member_since) * rng.random(),
    )


def _unique_username(faker, rng, taken):
    base = re.sub(r"[^A-Za-z0-9_.]", "", faker.user_name()) or "user"
    if not base[0].isalpha():
        base = f"u{base}"
    base = base[:56]
    candidate = base
    while candidate.lower() in taken:
        candidate = f"{base}{rng.randint(1, 9_999_999)}"
    taken.add(candidate.lower())
    return candidate
