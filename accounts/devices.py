"""Known devices: browsers in which an account has logged in before, remembered in a signed cookie.

A known device passes the per-account ceiling on failed logins (accounts.adapters), so someone who knows an
email address cannot lock its owner out of the browsers they already use.
"""

from django.conf import settings
from django.core import signing

COOKIE = "flasky_device"
MAX_AGE = 365 * 24 * 60 * 60
SALT = "accounts.devices"
# A shared computer remembers the last few accounts used on it.
MAX_ACCOUNTS = 5


def known_accounts(request):
    """The ids of the accounts that have logged in in this browser (newest first)."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return []
    try:
        accounts = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    return [pk for pk in accounts if isinstance(pk, int)] if isinstance(accounts, list) else []


def remember_device(request, response, user):
    """Remember on ``response`` that ``user`` logged in in this browser."""
    accounts = [user.pk, *(pk for pk in known_accounts(request) if pk != user.pk)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        signing.dumps(accounts, salt=SALT),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
