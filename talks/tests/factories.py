"""Factories for talks and guests' comments."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from blog.tests.factories import CommentFactory, PostFactory
from talks.models import Talk


class TalkFactory(DjangoModelFactory):
    """A talk a week from now (pass ``date`` for another, ``post__author`` for its speaker)."""

    class Meta:
        model = Talk

    post = factory.SubFactory(PostFactory, title=factory.Faker("sentence", nb_words=4))
    date = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    venue = factory.Faker("city")


class GuestCommentFactory(CommentFactory):
    """A visitor's comment on a talk, waiting for approval."""

    post = factory.LazyAttribute(lambda comment: TalkFactory().post)
    author = None
    guest_name = factory.Faker("name")
    guest_email = factory.Sequence(lambda n: f"guest{n}@example.net")
    approved = False
