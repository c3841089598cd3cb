"""API tokens: signed, short-lived, and void as soon as the account's password changes."""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

TOKEN_SALT = "api.tokens"  # noqa: S105 - a signing namespace, not a secret


def _password_stamp(user):
    # A keyed digest of the password hash, not the hash itself: the token's payload is only signed, so
    # anyone holding a token can read it. Any password change (or reset) gives a different stamp.
    return salted_hmac(TOKEN_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def _signer():
    # Dots, not Django's default colons, between the parts: the token travels as the user name of HTTP
    # Basic auth ("token:"), where a colon would end it.
    return signing.TimestampSigner(salt=TOKEN_SALT, sep=".")


def make_token(user):
    """A token that authenticates ``user`` for settings.API_TOKEN_MAX_AGE seconds."""
    return _signer().sign_object({"id": user.pk, "pw": _password_stamp(user)})


def user_for_token(token):
    """The active user the token was made for, or None when it is forged, expired or revoked."""
    try:
        payload = _signer().unsign_object(token, max_age=settings.API_TOKEN_MAX_AGE)
        user = User.objects.active().get(pk=int(payload["id"]))
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError, OverflowError):
        return None
    if not constant_time_compare(str(payload.get("pw")), _password_stamp(user)):
        return None
    return user
