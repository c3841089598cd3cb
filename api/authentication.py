"""Who is calling: HTTP Basic with email and password or with a token, or a Bearer token (Flasky's rules).

Flasky's Basic scheme reads ``email:password`` as a password login and ``token:`` (an empty password) as a
token login; an empty user name is refused, so there is no anonymous access. ``request.auth`` says which
kind of credential was used: the token endpoint accepts only a password.

An account with two-factor login on cannot use its password alone: password requests are refused (401, with
a message saying why), and the token endpoint wants the authenticator code as well, in the ``X-Flasky-OTP``
header (see docs/api.md).
"""

import base64
import binascii

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts import twofactor
from accounts.models import User
from accounts.services import record_last_seen
from api import checked_passwords, tokens
from api.throttling import FailedLoginThrottle, UserThrottle

# What request.auth holds: which kind of credential authenticated the request.
PASSWORD = "password"  # noqa: S105 - a label, not a password
TOKEN = "token"  # noqa: S105
REALM = "Authentication Required"
INVALID_CREDENTIALS = _("Invalid credentials")
OTP_HEADER = "HTTP_X_FLASKY_OTP"


class TwoFactorRequired(exceptions.AuthenticationFailed):
    """The password was right, but the account has two-factor login on (the message tells what to do)."""

    default_detail = _(
        "Two-factor login is on for this account, so its password alone cannot be used with the API. "
        "Get a token with POST /api/v1/tokens/, sending your email and password and your authenticator "
        "code in the X-Flasky-OTP header, and use the token instead."
    )


def user_for_password(request, email, password):
    """The active user with this email and password, or None. Unknown emails cost a hash like known ones,
    so response times do not tell which addresses have accounts; wrong passwords are rate limited (before
    anything is checked, remembered passwords included); a right password is remembered for a few minutes
    (api.checked_passwords), so a client that sends it with every request pays the hasher once.

    A remembered password and the rate limits' counts are read together, in one round trip to the cache:
    when the password is remembered and one more attempt is within every limit, the attempt is not counted
    (counting it and giving it back, as a right password is, took a dozen round trips)."""
    throttle = FailedLoginThrottle(request, email)
    user = twofactor.with_flag(User.objects.active().by_email(email)).first()
    if user is not None and settings.API_PASSWORD_CHECK_SECONDS:
        remembered = checked_passwords.key(user, password)
        found = cache.get_many([remembered, *throttle.keys()])
        if found.get(remembered) is not None and throttle.within_limits(found):
            return user
    throttle.reserve()
    if user is None:
        User().set_password(password)
    elif checked_passwords.recently_checked(user, password):
        throttle.refund()
        return user
    elif user.check_password(password):
        throttle.refund()
        checked_passwords.remember(user, password)  # (for a fixed time: a hit does not extend it)
        return user
    return None


def _token_login(request, token):
    """The user of ``token``; with the account's rate limit and the view's ``read_ahead`` keys (its cached
    count; for the list of posts also its kept page and the caller's marks of it, named by a function of the
    request and the account: api.shared_pages) read from the cache in the same round trip as the account
    (api.tokens.read_token), and left on the request for the throttle and the view (``request.read_ahead``):
    three round trips were one."""
    view = request.parser_context.get("view") if request.parser_context else None
    ahead = getattr(view, "read_ahead", ())
    if callable(ahead):  # (keys of the request's and the caller's own: api.shared_pages.read_ahead)
        keys = lambda pk: [UserThrottle.key_for(pk), *ahead(request, pk)]  # noqa: E731
    else:
        keys = lambda pk: [UserThrottle.key_for(pk), *ahead]  # noqa: E731
    user, request.read_ahead = tokens.read_token(token, keys)
    return _authenticated(user, TOKEN, token=token)


def _authenticated(user, credential, token=None):
    if user is None:
        raise exceptions.AuthenticationFailed(INVALID_CREDENTIALS)
    # Session users get this from LastSeenMiddleware; API clients are seen here (at most a write a minute).
    if record_last_seen(user) and token is not None:
        tokens.seen(token, user)  # (the token's cached account: see api.tokens)
    return (user, credential)


class BasicAuthentication(authentication.BaseAuthentication):
    """``Authorization: Basic base64(email:password)`` or ``base64(token:)``."""

    def authenticate(self, request):
        scheme, _sep, credentials = authentication.get_authorization_header(request).partition(b" ")
        if scheme.lower() != b"basic":
            return None
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise exceptions.AuthenticationFailed(INVALID_CREDENTIALS) from error
        username, _sep, password = decoded.partition(":")
        if not username or "\x00" in username:  # (PostgreSQL refuses NUL characters in a query)
            raise exceptions.AuthenticationFailed(INVALID_CREDENTIALS)
        if not password:
            return _token_login(request, username)
        user = user_for_password(request, username, password)
        if user is not None and twofactor.is_on(user):
            code = request.META.get(OTP_HEADER, "").strip()
            # Only the token endpoint (its view says accepts_second_factor) completes a password login with
            # a second factor; every other endpoint wants the token.
            view = request.parser_context.get("view") if request.parser_context else None
            accepts = getattr(view, "accepts_second_factor", False)
            if not (accepts and code and twofactor.check_code(request, user, code)):
                raise TwoFactorRequired()
        return _authenticated(user, PASSWORD)

    def authenticate_header(self, request):
        return f'Basic realm="{REALM}"'


class BearerAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``."""

    def authenticate(self, request):
        scheme, _sep, token = authentication.get_authorization_header(request).partition(b" ")
        if scheme.lower() != b"bearer":
            return None
        try:
            token = token.strip().decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(INVALID_CREDENTIALS) from error
        if not token:
            raise exceptions.AuthenticationFailed(INVALID_CREDENTIALS)
        return _token_login(request, token)

    def authenticate_header(self, request):
        return "Bearer"
