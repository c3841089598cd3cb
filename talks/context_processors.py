"""The navbar's count of comments waiting for the viewer's approval."""

from django.urls import reverse
from django.utils.functional import cached_property

from accounts.roles import MODERATE
from talks.services import pending_for


class PendingComments:
    """Counted only if a template asks, at most once a request: one query on the index of pending comments."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self):
        return pending_for(self.user).count()

    @cached_property
    def everyone(self):
        return self.user.has_perm(MODERATE)

    @cached_property
    def url(self):
        return reverse("talks:moderate_all" if self.everyone else "talks:moderate")


def pending_comments(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"pending_comments": PendingComments(user)}
