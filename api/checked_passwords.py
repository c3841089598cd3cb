"""Right passwords remembered for a few minutes, so that a client sending ``email:password`` with every
request (Flasky's own clients do) pays PBKDF2 once per API_PASSWORD_CHECK_SECONDS, not once per request.

Only a success is remembered, under a key that is an HMAC (keyed with SECRET_KEY) of the account's id, its
stored password hash, its suspension and the password sent: nothing readable is stored, a wrong password can
never find an entry (it gives another key: the hasher runs and the failure counts against the lockout as
before), and a changed or reset password (a new hash), a suspension or its end give another key, so an entry
outlives none of them. A deactivated account is not found at all (``User.objects.active()``). The rate limits
of wrong passwords (api.throttling.FailedLoginThrottle) are checked before this is read: a locked-out
account is refused whatever is remembered. See docs/api.md, "Checking passwords", for the reasoning.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

_SALT = "api.checked_passwords"


def _key(user, password):
    credentials = "\x00".join([str(user.pk), user.password, str(user.suspended_until or ""), password])
    return "api-password-ok:" + salted_hmac(_SALT, credentials, algorithm="sha256").hexdigest()


def key(user, password):
    """The cache key of the note that ``password`` is right for ``user`` (to read it with other keys)."""
    return _key(user, password)


def recently_checked(user, password):
    """Whether ``password`` was found right for ``user`` (as it is now) in the last few minutes."""
    if not settings.API_PASSWORD_CHECK_SECONDS:
        return False
    return cache.get(_key(user, password)) is not None


def remember(user, password):
    """Note that ``password`` is right for ``user``: call only after the hasher said so."""
    if settings.API_PASSWORD_CHECK_SECONDS:
        cache.set(_key(user, password), 1, settings.API_PASSWORD_CHECK_SECONDS)
