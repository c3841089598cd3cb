"""Per-request account behaviour: preferences, last-seen, the gate that holds unconfirmed users, and the
login message."""

import zoneinfo
from urllib.parse import parse_qs, unquote, urlsplit

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.backends import session_user_read_ahead
from accounts.services import record_last_seen, refresh_session
from accounts.validators import available_timezones

# The cookie the browser's script stores its IANA time zone in, for readers without a preference.
TIMEZONE_COOKIE = "tz"

# Unconfirmed users may use these (account pages, files, the language switch); the API answers for itself.
# Views elsewhere that anyone holding a link may use (unsubscribing) say so with @open_to_unconfirmed.
UNCONFIRMED_ALLOWED_PREFIXES = ("/auth/", "/static/", "/media/", "/api/", "/i18n/", "/healthz")


def open_to_unconfirmed(view):
    """Let unconfirmed users reach this view: its link is its own credential (an unsubscribe link, say)."""
    view.open_to_unconfirmed = True
    return view


class UserPreferencesMiddleware:
    """Render in the user's language and time zone; without a preference, the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The user itself from here on, not the lazy object AuthenticationMiddleware put there: it is
        # read now anyway, and every later request.user.x (some eighty a page: middleware, context
        # processors, the navbar) went through the lazy object's proxy.
        with session_user_read_ahead(request):  # (the user's copy read with the session: accounts.backends)
            user = request.user = _loaded(request.user)
        # site.js writes the zone URL-encoded ("Europe%2FMadrid"), as cookie values should be.
        zone = unquote(request.COOKIES.get(TIMEZONE_COOKIE, ""))
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            zone = user.timezone or zone
        if zone in available_timezones():
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


def _loaded(user):
    """``user`` loaded, out of its lazy object (a user set by a test or a login is already itself)."""
    if isinstance(user, SimpleLazyObject):
        user.is_authenticated  # noqa: B018 - loads it
        return user._wrapped
    return user


class LastSeenMiddleware:
    """Keep last_seen fresh with at most one write per user per minute (never one per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and record_last_seen(request.user):
            # The same minute's write refreshes this session's line in the Security page's list.
            refresh_session(request)
        return self.get_response(request)


class UnconfirmedGateMiddleware:
    """An unconfirmed user may log in, but every page except the account pages sends them to confirm."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # process_view runs only for URLs that resolved, so unknown URLs still answer 404.
        user = request.user
        if (
            user.is_authenticated
            and not user.confirmed
            and not request.path_info.startswith(UNCONFIRMED_ALLOWED_PREFIXES)
            and not getattr(view_func, "open_to_unconfirmed", False)
        ):
            return redirect("accounts:unconfirmed")
        return None


class LoginMessageMiddleware:
    """A visitor sent to the login page from a page that needs an account is told why, as Flask-Login
    flashes it: in the words of LOGIN_REQUIRED_MESSAGES for the page's URL namespace, else the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 302 and not request.user.is_authenticated and _is_sent_to_log_in(response):
            match = getattr(request, "resolver_match", None)
            words = settings.LOGIN_REQUIRED_MESSAGES
            messages.info(request, words.get(match.namespace if match else "", words[""]))
        return response


def _is_sent_to_log_in(response):
    location = urlsplit(response["Location"])
    return location.path == resolve_url(settings.LOGIN_URL) and "next" in parse_qs(location.query)


# The pages that moderators and administrators may reach only with two-factor login on (with
# FLASKY_REQUIRE_2FA_FOR_STAFF): the Django admin and every moderation queue (the blog's /moderate/ and what
# grows under it, the talks' queues).
STAFF_2FA_PREFIXES = ("/admin/", "/moderate/", "/talks/moderate/")


class StaffTwoFactorMiddleware:
    """Send moderators and administrators without two-factor login from the staff pages to Security."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            settings.FLASKY_REQUIRE_2FA_FOR_STAFF
            and user.is_authenticated
            and user.is_staff
            and request.path_info.startswith(STAFF_2FA_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Moderators and administrators must turn on two-factor login before they can use the "
                    "moderation pages or the administration. Turn it on below, then try again."
                ),
            )
            return redirect("mfa_index")
        return None
