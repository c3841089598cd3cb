"""Factories for appointments."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from schedule.models import Appointment


class AppointmentFactory(DjangoModelFactory):
    """A one-hour appointment in three days (the seed's "Important Meeting")."""

    class Meta:
        model = Appointment

    owner = factory.SubFactory(UserFactory)
    title = "Important Meeting"
    start = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=3)).replace(microsecond=0))
    end = factory.LazyAttribute(lambda appointment: appointment.start + timedelta(hours=1))
    location = "The Office"
