"""Rate limits: each account has its own budget, and everything else is counted against its IP address;
wrong passwords have budgets of their own, past which none is even checked: per account and address
together, with higher ceilings per address (many accounts tried from one place) and per account (one
account tried from many places).

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
    """Wrong passwords, counted per account (email) and IP address together ("login"), and, with higher
    ceilings, per IP address ("login_address": spraying many accounts) and per account ("login_account":
    guesses from many addresses). Once any is over its rate, the password is not checked at all:
    otherwise the 429s would stop only the wrong guesses, and a right guess would still say so. Counting
    the pair, not the address alone, means that other accounts' failures from the same address (an office
    behind one address) do not lock out a right password.

    Each attempt is counted (atomically, in a fixed window) before its password is checked, and given
    back if the password was right, or if it was refused unchecked (so that hammering one address past
    its limit does not use up the account's ceiling): guesses sent in parallel cannot all pass a check
    that none of them has been recorded against yet."""

    scope = "login"

    def __init__(self, request, email):  # (not SimpleRateThrottle's: three budgets, not one)
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        address = self.get_ident(request)
        self.budgets = []
        for scope, ident in (
            ("login", f"account-{account}-ip-{address}"),
            ("login_address", f"ip-{address}"),
            ("login_account", f"account-{account}"),
        ):
            limit, duration = self.parse_rate(api_settings.DEFAULT_THROTTLE_RATES.get(scope))
            if limit is not None:
                self.budgets.append((self.cache_format % {"scope": scope, "ident": ident}, limit, duration))

    def reserve(self):
        """Count this attempt against each budget; raise Throttled once any is over (the password is
        then not checked, and the attempt is not counted)."""
        now = self.timer()
        waits = []
        for key, limit, duration in self.budgets:
            if self._count(key, duration, now) > limit:
                since = self.cache.get(f"{key}:since", now)
                waits.append(max(1, since + duration - now))
        if waits:
            self.refund()
            raise exceptions.Throttled(wait=max(waits))

    def refund(self):
        """The password was right (or was not checked): this attempt does not count."""
        for key, _limit, _duration in self.budgets:
            with contextlib.suppress(ValueError):  # the window has ended meanwhile
                self.cache.decr(key)

    def _count(self, key, duration, now):
        self.cache.add(f"{key}:since", now, duration)
        if self.cache.add(key, 1, duration):
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # the window ended between add() and incr(): this attempt starts a new one
            self.cache.set(key, 1, duration)
            return 1
