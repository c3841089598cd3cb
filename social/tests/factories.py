"""Factories for the social graph."""

import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from social.models import Follow


class FollowFactory(DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followed = factory.SubFactory(UserFactory)
