"""API tokens: signed, short-lived, and void as soon as the account's password changes.

The account a token names is read from the database once, then kept in the cache (under a digest of the
token) with the account's version (accounts.versions): a client that sends its token with every request
costs no query for it, and any change to the account (a new password, which revokes its tokens, a new role,
a suspension, a deactivation, a deletion) voids the copy at once, so the next request sees the account as it
is. A token's signature, age and password stamp are checked on every request, as before.

The account is read with the facts the visibility rule needs about its owner (blog.models.ViewerFacts:
whom they block, who blocks them, whom they mute, whether they wrote a withheld post or mute a word), in the
same query, and they are kept with it: a session's user gets them the same way on every request, and
without them each list kept the rule's subqueries, whose "or written by me" form cost a reader's list
15-20 ms of database time at a million posts. They are as current as the account: a block, a mute or a
muted word made or removed, and a post of theirs held, hidden or shown again, changes the version of each
account it concerns (social.derived, moderation.services), and a copy is not used past the moment its
earliest timed mute ends.
"""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connections
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import versions
from accounts.models import User
from blog.models import ViewerFacts
from social.derived import Blocks
from social.models import Mute

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
    return read_token(token)[0]


def read_token(token, also=None):
    """(the user of ``token`` as user_for_token answers, what else was read): ``also(pk)`` names more cache
    keys to read in the same round trip as the account of ``pk`` (the account's rate limit, a view's cached
    count: api.authentication), and the second item maps each to its value (None when missing); it is
    empty when nothing was read (no user, or no shared cache: see _seconds)."""
    try:
        payload = _payload(token)
        pk = int(payload["id"])
        user, found = _account(token, pk, also(pk) if also is not None else ())
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError, OverflowError):
        return None, {}
    if not constant_time_compare(str(payload.get("pw")), _kept_stamp(user)):
        return None, {}
    return user, found


# The tokens whose signature this process has checked, with their payload and the moment they were signed
# (under the keys they were checked with); and the password stamps it has computed. Checking the signature
# (a base64 and JSON decoding, an HMAC) and the stamp (an HMAC) again was 4% of a token's list of posts.
_checked = {}
_stamps = {}
_KEPT_MAX = 10_000


def _payload(token):
    """The payload of ``token`` once its signature and age are checked (signing.BadSignature, or its
    SignatureExpired, when they are not). A token whose signature this process has checked (with the same
    keys) is only checked for its age, as the signer checks it."""
    keys = (settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
    kept = _checked.get(token)
    if kept is None or kept[0] != keys:
        payload = _signer().unsign_object(token, max_age=settings.API_TOKEN_MAX_AGE)
        signed = signing.b62_decode(token.rsplit(".", 2)[-2])  # (the signer's timestamp, checked with it)
        if len(_checked) >= _KEPT_MAX:
            _checked.clear()
        kept = _checked[token] = (keys, payload, signed)
    _keys, payload, signed = kept
    if time.time() - signed > settings.API_TOKEN_MAX_AGE:
        raise signing.SignatureExpired("The token is too old.")
    return payload


def _kept_stamp(user):
    """_password_stamp(user), computed once per password hash (and key) in this process."""
    key = (user.password, settings.SECRET_KEY)
    stamp = _stamps.get(key)
    if stamp is None:
        if len(_stamps) >= _KEPT_MAX:
            _stamps.clear()
        stamp = _stamps[key] = _password_stamp(user)
    return stamp


def _seconds():
    """How long the account of a token is kept (any change to the account voids it before: see the
    docstring); 0 without a cache that every process shares (settings.API_TOKEN_ACCOUNT_SECONDS)."""
    return settings.API_TOKEN_ACCOUNT_SECONDS


def _account_key(token):
    return "api-token-user:" + hashlib.sha256(token.encode()).hexdigest()


def _account(token, pk, also=()):
    """(the active account ``pk`` (named by the verified ``token``), the values of the keys ``also``): the
    cache's copy while its version is the account's, else read from the database (after reading the
    version, so that a change made meanwhile voids the copy stored here)."""
    entry_key, version_key = _account_key(token), versions.key(pk)
    seconds = _seconds()
    found = cache.get_many([entry_key, version_key, *also]) if seconds else {}
    entry, version = found.get(entry_key), found.get(version_key)
    also = {key: found.get(key) for key in also} if seconds else {}
    if version is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        user = entry[1]
        if isinstance(user, User) and user.pk == pk and _facts_current(user):
            user.token_version = version
            return user, also
    if seconds and version is None:
        version = versions.current(pk)
    user = _read_account(pk)
    if seconds and version is not None:
        cache.set(entry_key, (version, user), seconds)
        user.token_version = version
    return user, also


def _read_account(pk):
    """The active account ``pk`` with its visibility facts (see the docstring), in one query; the facts'
    ``until`` is the moment the earliest of its timed mutes ends (None: none ends)."""
    users = User.objects.active()
    facts = ViewerFacts.annotations(pk, connections[users.db].vendor)
    if facts:
        ending = Mute.objects.active().filter(muter=OuterRef("pk"), until__isnull=False).order_by("until")
        users = users.annotate(**facts, visibility_until=Subquery(ending.values("until")[:1]))
    user = users.get(pk=pk)
    until = user.__dict__.pop("visibility_until", None)
    ViewerFacts.attach(user)
    if getattr(user, "visibility_facts", None) is not None:
        user.visibility_facts.until = until
    return user


def _facts_current(user):
    """Whether the kept copy's visibility facts still hold (they hold no timed mute that has ended): they
    are then taken as read in this request (ViewerFacts counts this process's changes from there)."""
    facts = getattr(user, "visibility_facts", None)
    if facts is None:
        return True
    until = getattr(facts, "until", None)
    if until is not None and until <= timezone.now():
        return False
    facts.read_in = Blocks.changes
    return True


def seen(token, user):
    """``user`` (from user_for_token) was just marked seen (accounts.services.record_last_seen): keep the
    copy's last_seen as the database has it, or every request would try to mark it again."""
    version = getattr(user, "token_version", None)
    if _seconds() and version is not None:
        cache.set(_account_key(token), (version, user), _seconds())
