"""Two-factor login (allauth.mfa) as the rest of the site asks about it: is it on, is this code right."""

from allauth.core import context
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Exists, OuterRef


def with_flag(users):
    """The users with ``two_factor_on`` annotated, so that is_on() asks no query of its own."""
    return users.annotate(two_factor_on=Exists(Authenticator.objects.filter(user=OuterRef("pk"))))


def is_on(user):
    """Whether the user has turned on two-factor login (as allauth answers it: any authenticator)."""
    flag = getattr(user, "two_factor_on", None)
    return is_mfa_enabled(user) if flag is None else flag


def check_code(request, user, code):
    """Whether ``code`` is the user's current authenticator code or an unused recovery code (which it then
    uses up). Wrong codes count against allauth's limit for two-factor logins (ACCOUNT_RATE_LIMITS'
    login_failed, per user), so codes cannot be guessed through another door than the login page."""
    request = getattr(request, "_request", request)  # (a DRF request wraps Django's)
    with context.request_context(request):
        form = BaseAuthenticateForm(data={"code": code or ""}, user=user)
        return form.is_valid()
