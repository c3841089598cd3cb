"""Rate limits: each account has its own budget, and everything else is counted against its IP address.

Requests whose credentials fail count against the IP too: api.views.base checks the rates after
authentication but before answering 401, so guessing passwords through Basic auth is throttled.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _SettingsRate:
    def get_rate(self):
        # Read at each request (DRF reads it once, at import): settings can change, tests lower them.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_SettingsRate, throttling.SimpleRateThrottle):
    """Per account (API clients and the site's own scripts alike)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None  # AnonThrottle counts those
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    """Per IP address, for requests that are not (or failed to be) authenticated."""
