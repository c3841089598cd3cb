"""The navbar's count of open reports, for moderators."""

from django.utils.functional import cached_property

from accounts.roles import MODERATE
from moderation.models import Report


class OpenReports:
    """Counted only if a template asks, at most once a request: one query on the index of open reports."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self):
        return Report.objects.open().count()


def open_reports(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm(MODERATE):
        return {}
    return {"open_reports": OpenReports(user)}
