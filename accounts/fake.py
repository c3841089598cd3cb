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
# One member in four writes in Spanish (and reads the site in it); the rest in English. Each writes in one
# language only: blog/fake.py and talks/fake.py write a member's posts and comments in their ``language``.
SPANISH_SHARE = 0.25
LOCALES = {"en": "en_US", "es": "es_ES"}
ABOUT = {
    "en": (
        "{job} in {city}. I write about {interest} and whatever broke this week.",
        "{job}. Based in {city}. Mostly {interest}, sometimes bread.",
        "I build things for the web in {city}. Interested in {interest}.",
        "{job} by day, {interest} by night.",
    ),
    "es": (
        "{job} en {city}. Escribo sobre {interest} y sobre lo que se rompió esta semana.",
        "{job}. Vivo en {city}. Sobre todo {interest}, a veces pan casero.",
        "Desarrollo para la web desde {city}. Me interesa {interest}.",
        "{job} de día, {interest} de noche.",
    ),
}
JOBS = {
    "en": (
        "Backend developer",
        "Software engineer",
        "Student",
        "Data analyst",
        "Site reliability engineer",
        "Freelance developer",
        "Teacher",
    ),
    "es": (
        "Desarrolladora backend",
        "Ingeniero de software",
        "Estudiante",
        "Analista de datos",
        "Ingeniera de fiabilidad",
        "Desarrollador freelance",
        "Profesora",
    ),
}
INTERESTS = {
    "en": ("Python", "Django", "databases", "testing", "web accessibility", "open source"),
    "es": ("Python", "Django", "bases de datos", "testing", "accesibilidad web", "software libre"),
}


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
    language = "es" if rng.random() < SPANISH_SHARE else "en"
    faker = faker[LOCALES[language]]
    username = _unique_username(faker, rng, taken)
    member_since = now - timedelta(days=rng.randint(1, 3 * 365), seconds=rng.randint(0, 86_400))
    email = f"{username.lower()}@example.com"
    city = faker.city()
    return User(
        email=email,
        username=username,
        password=password,
        confirmed=True,
        role=initial_role(email),
        name=faker.name()[:64],
        location=city[:64],
        about_me=_about(rng, language, city),
        language=language,
        member_since=member_since,
        last_seen=member_since + (now - member_since) * rng.random(),
    )


def _about(rng, language, city):
    return rng.choice(ABOUT[language]).format(
        job=rng.choice(JOBS[language]), city=city, interest=rng.choice(INTERESTS[language])
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
