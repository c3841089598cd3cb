"""Factories for accounts: users as signup makes them (with their allauth email address)."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username.lower()}@example.com")
    password = factory.django.Password(PASSWORD)
    role = Role.USER
    confirmed = True
    name = factory.Faker("name")
    location = factory.Faker("city")
    about_me = factory.Faker("sentence")
    # Established members: a new account's limits (blog.services.is_new_account) apply only to those a
    # test makes new, with member_since=timezone.now().
    member_since = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))

    @factory.post_generation
    def email_address(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=user.confirmed)


class ModeratorFactory(UserFactory):
    role = Role.MODERATOR


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
