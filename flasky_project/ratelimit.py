"""A small fixed-window rate limit kept in the cache, for actions allauth and DRF do not cover."""

from django.core.cache import cache


def allow(request, action, *, limit, period):
    """Count one ``action`` by this user (or, for strangers, this address); False once over ``limit``
    within ``period`` seconds. When the cache is unreachable the action is allowed (fails open)."""
    who = (
        f"user:{request.user.pk}"
        if request.user.is_authenticated
        else f"ip:{request.META.get('REMOTE_ADDR', '')}"
    )
    key = f"ratelimit:{action}:{who}"
    try:
        if cache.add(key, 1, timeout=period):
            return True
        return cache.incr(key) <= limit
    except (ValueError, ConnectionError, OSError):
        return True
