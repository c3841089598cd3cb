"""The navbar's count of comments waiting for the viewer's approval; the sidebar's talks coming up."""

from django.urls import reverse
from django.utils.functional import cached_property

from accounts.roles import MODERATE
from talks.services import pending_count
from talks.upcoming import upcoming_talks


class PendingComments:
    """Counted only if a template asks, at most once a request, and then read from the cache unless the site's
    data changed (talks.services.pending_count)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self):
        return pending_count(self.user)

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


class UpcomingTalks:
    """The sidebar's next talks (talks.upcoming), read only if a template asks: the home page is a blog view,
    and blog never imports talks."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def talks(self):
        return upcoming_talks(self.user)


def upcoming(request):
    user = getattr(request, "user", None)
    return {"upcoming_talks": UpcomingTalks(user)} if user is not None else {}
