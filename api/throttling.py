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


_UNREAD = object()


def _read_ahead(request):
    """What this request read from the cache ahead (api.authentication reads a token's count with its
    account, in the same round trip, a moment before the throttle runs: the same read, not an older one);
    each value is used once."""
    found = getattr(request, "read_ahead", None)
    return found if isinstance(found, dict) else {}


class _CountedRate(_SettingsRate):
    """A rate counted with three numbers in one cache entry, not DRF's list of every request's time: DRF
    reads, trims and writes back the whole list on every request, as long as the rate is high (300 times
    a minute by default, and tens of thousands under a benchmark's raised rates, where reading and writing
    it cost more than the rest of the request).

    The entry holds the current fixed window's number, its count and the previous window's count; the
    requests of the last ``duration`` seconds are estimated as the current count plus the share of the
    previous window still inside them (a sliding window, approximated as most rate limiters do). Like
    DRF's list, it is read and written without a lock: requests racing each other may each count once
    where two were made, never the other way round."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window, into = divmod(now, self.duration)
        entry = _read_ahead(request).pop(self.key, _UNREAD)
        if entry is _UNREAD:
            entry = self.cache.get(self.key)
        current = previous = 0
        if isinstance(entry, tuple) and len(entry) == 3:  # (an entry of DRF's shape counts as none)
            if entry[0] == window:
                _window, current, previous = entry
            elif entry[0] == window - 1:
                previous = entry[1]
        self.counts, self.into = (current, previous), into
        if current + previous * (1 - into / self.duration) >= self.num_requests:
            return False
        self.cache.set(self.key, (window, current + 1, previous), 2 * self.duration)
        return True

    def wait(self):
        """Seconds until the estimate falls below the rate again."""
        current, previous = self.counts
        if current >= self.num_requests:
            # After this window, when the share of this window's count still inside falls below the rate.
            share = 1 - self.num_requests / current
            return max(1, round(self.duration - self.into + share * self.duration, 3))
        # Within this window, as the previous window's share shrinks.
        share = 1 - (self.num_requests - current) / previous
        return max(1, round(share * self.duration - self.into, 3))  # (rounded: DRF rounds up)


class UserThrottle(_CountedRate, throttling.SimpleRateThrottle):
    """Per account (API clients and the site's own scripts alike)."""

    scope = "user"

    @classmethod
    def key_for(cls, user_pk):
        """The cache key of the account's count."""
        return cls.cache_format % {"scope": cls.scope, "ident": user_pk}

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None  # AnonThrottle counts those
        return self.key_for(request.user.pk)


class AnonThrottle(_CountedRate, throttling.AnonRateThrottle):
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

    def keys(self):
        """The cache keys of the counts (to read them with other keys: see within_limits)."""
        return [key for key, _limit, _duration in self.budgets]

    def within_limits(self, found):
        """Whether one more attempt would pass every budget (reserve would not raise), from the counts in
        ``found`` (a get_many of ``keys``)."""
        return all(
            not isinstance(found.get(key), int) or found[key] < limit for key, limit, _d in self.budgets
        )

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
