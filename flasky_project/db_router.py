"""Read replicas: page and API reads go to a replica, everything else to the primary.

With DATABASE_REPLICA_URLS set, settings add the aliases "replica_0", "replica_1", … and this router:

- sends every write to the primary ("default");
- sends a read to a replica only inside a web request with a safe method (GET, HEAD, OPTIONS) that has
  written nothing yet, outside any transaction (a read in a transaction belongs with its writes), and not
  pinned to the primary (below). Workers, commands and the admin's changes read from the primary;
- read-your-writes: a request that writes (any POST, or a GET that happened to write) sets a cookie,
  ``flasky_primary``, for FLASKY_READ_YOUR_WRITES_SECONDS; while the browser sends it back, every read of
  that browser goes to the primary, so a user always sees their own post, on any web machine. The cookie
  holds no secret: faking it only makes one's own reads go to the primary;
- a replica that cannot be reached is left alone for FLASKY_REPLICA_RETRY_SECONDS and reads go to the
  primary meanwhile, with one warning in the log: never an error page.
"""

import contextvars
import logging
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("flasky.db")

PRIMARY_COOKIE = "flasky_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _RequestState:
    __slots__ = ("alias", "replicas_allowed", "wrote")

    def __init__(self, replicas_allowed):
        self.replicas_allowed = replicas_allowed
        self.wrote = False
        self.alias = None  # the replica (or, none being up, the primary) this request reads from


# The current request's routing state; None outside requests (workers, commands, tests without a request).
_state = contextvars.ContextVar("flasky_db_routing", default=None)
# Replica alias -> time.monotonic() until which it is considered down, in this process.
_down_until = {}


def replica_aliases():
    return settings.DATABASE_REPLICAS


def _usable(alias):
    """Whether the replica answers: connect, or check a connection kept from an earlier request (once per
    request, as CONN_HEALTH_CHECKS does). A replica that fails is skipped for a while, with a warning."""
    if _down_until.get(alias, 0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        retry = settings.FLASKY_REPLICA_RETRY_SECONDS
        _down_until[alias] = time.monotonic() + retry
        logger.warning(
            "Database replica %s is unreachable; reading from the primary for %s s: %s", alias, retry, error
        )
        connection.close()
        return False
    return True


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.replicas_allowed or state.wrote:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state.alias is None:
            # One replica per request, chosen at random among those that answer: spreads the load, and a
            # page's reads all come from one server.
            aliases = random.sample(replica_aliases(), len(replica_aliases()))
            state.alias = next((alias for alias in aliases if _usable(alias)), DEFAULT_DB_ALIAS)
        return state.alias

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db in replica_aliases() else None


class ReplicaRoutingMiddleware:
    """Decides, per request, whether its reads may go to a replica, and keeps a writer on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        allowed = request.method in SAFE_METHODS and PRIMARY_COOKIE not in request.COOKIES
        state = _RequestState(replicas_allowed=allowed)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=settings.FLASKY_READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
