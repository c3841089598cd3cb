"""A limit on guests' comments per client address, kept in the cache (shared by every process with Redis).

The client's address comes from allauth's adapter, so it honours the same proxy settings as the login rate
limits (ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER)."""

import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def guest_comment_allowed(request):
    """Count one guest comment from this client; False once it passed the hourly limit."""
    limit = settings.FLASKY_GUEST_COMMENTS_PER_HOUR
    window = int(time.time() // WINDOW_SECONDS)
    key = f"talks:guest-comments:{get_adapter().get_client_ip(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first in a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit
