"""Rate limits: each account has its own budget, and everything else is counted against its IP address;
wrong passwords have a budget of their own, per IP and per account, past which none is even checked.

Requests whose credentials fail count against the IP too: api.views.base checks the rates after
authentication but before answering 401.
"""

import contextlib
import hashlib
import re

from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings

_PERIOD = re.compile(r"^(\d*)([smhd])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class _SettingsRate:
    def get_rate(self):
        # Read at each request (DRF reads it once, at import): settings can change, tests lower them.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def parse_rate(self, rate):
        """DRF's "100/minute", and also "5/15m" (5 per 15 minutes)."""
        if rate is None:
            return (None, None)
        number, period = rate.split("/")
        multiplier, unit = _PERIOD.match(period).groups()
        return (int(number), int(multiplier or 1) * _SECONDS[unit])


class UserThrottle(_SettingsRate, throttling.SimpleRateThrottle):
    """Per account (API clients and the site's own scripts alike)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None  # AnonThrottle counts those
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    """Per IP address, for requests that are not (or failed to be) authenticated."""


class FailedLoginThrottle(_SettingsRate, throttling.SimpleRateThrottle):
    """Wrong passwords, counted per IP address and per account (email). Once either is over the rate, the
    password is not checked at all: otherwise the 429s would stop only the wrong guesses, and a right
    guess would still say so.

    Each attempt is counted (atomically, in a fixed window) before its password is checked, and given
    back if the password was right: guesses sent in parallel cannot all pass a check that none of them
    has been recorded against yet."""

    scope = "login"

    def __init__(self, request, email):
        super().__init__()
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        self.keys = [
            self.cache_format % {"scope": self.scope, "ident": f"ip-{self.get_ident(request)}"},
            self.cache_format % {"scope": self.scope, "ident": f"account-{account}"},
        ]

    def reserve(self):
        """Count this attempt against the IP and the account; raise Throttled once either is over its
        budget (the password is then not checked)."""
        if self.rate is None:
            return
        now = self.timer()
        for key in self.keys:
            self.cache.add(f"{key}:since", now, self.duration)
            if self.cache.add(key, 1, self.duration):
                continue
            try:
                attempts = self.cache.incr(key)
            except ValueError:  # the window ended between add() and incr(): this attempt starts a new one
                self.cache.set(key, 1, self.duration)
                attempts = 1
            if attempts > self.num_requests:
                since = self.cache.get(f"{key}:since", now)
                raise exceptions.Throttled(wait=max(1, since + self.duration - now))

    def refund(self):
        """The password was right: this attempt does not count."""
        if self.rate is None:
            return
        for key in self.keys:
            with contextlib.suppress(ValueError):  # the window has ended meanwhile
                self.cache.decr(key)
