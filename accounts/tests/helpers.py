"""Helpers for account tests: links out of emails, authenticator codes."""

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import urlsplit

LINK = re.compile(r"https?://[^\s\"'<>]+")


def link_in(message, containing=""):
    """The path of the first link in an email's text body that contains ``containing``."""
    for url in LINK.findall(message.body):
        if containing in url:
            return urlsplit(url).path
    raise AssertionError(f"no link containing {containing!r} in:\n{message.body}")


def totp_code(secret, at=None, period=30, digits=6):
    """The authenticator app's code for a base32 ``secret`` (RFC 6238, as the apps compute it)."""
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def turn_on_two_factor(user):
    """Give the user an authenticator app and recovery codes, as the Security page does; the secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret
