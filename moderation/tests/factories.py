"""Factories for reports."""

import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from moderation.models import Kind, Reason, Report


class ReportFactory(DjangoModelFactory):
    """A report of a post, unless told otherwise (kind=Kind.COMMENT with comment=…, Kind.USER with user=…)."""

    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    kind = Kind.POST
    post = factory.Maybe(
        factory.LazyAttribute(lambda report: report.kind == Kind.POST), factory.SubFactory(PostFactory), None
    )
    reason = Reason.SPAM
