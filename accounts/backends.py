"""Authentication backend: allauth's email login, with permissions decided by the user's role; the session's
user read in one query, and kept in the cache while nothing it was read from has changed."""

import hashlib
import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connections

from accounts.models import Role, User
from accounts.roles import permission_names
from flasky_project import pagecache, readahead


class RoleBackend(AuthenticationBackend):
    """Users have no per-user permissions or groups: their one role decides, from the table in
    ``accounts.roles``, without a query. (Active administrators are superusers, and Django answers their
    ``has_perm`` before asking a backend.)"""

    def get_user(self, user_id):
        """The session's user, with their count of unread notifications from the same query (the navbar's
        bell and the count endpoint read it: no query of their own), and the facts the visibility rule needs
        about them (blog.models.ViewerFacts: whom they do not see, whether they wrote a withheld post), read
        in that query too (registered by the blog app: read_with_session_user), so that each list of the
        page names them instead of asking again.

        The query is built and compiled once per process and database (see _SessionUserQuery), then run
        for each request with the user's id, and the user built from its row as the ORM builds it: building
        the query was a millisecond of every logged-in page, reading it through a RawQuerySet 0.3 ms more
        (0.55 ms of CPU against 0.25 ms for the query alone)."""
        user_id = User._meta.pk.to_python(user_id)
        alias = User._default_manager.db
        query = _session_user_query(alias)
        user, generation = _kept_copy(query, user_id)
        if user is None:
            user = query.user(user_id)
            if user is None or user.pk != user_id:  # (never another's: checked, not assumed from the SQL)
                return None
            for _annotations, attach, _keeps in _SESSION_EXTRAS.values():
                attach(user)
            _keep_copy(query, user, generation)
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        """The role's permissions, kept on the user object for its role (as Django's ModelBackend keeps
        its own): a list of posts asks for each post whether the viewer may edit it, and walking the apps
        for each was a few milliseconds of a logged-in page. A role changed on the object is seen by the
        next check."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = getattr(user_obj, "_role_permissions", None)
        if cached is None or cached[0] != user_obj.role:
            cached = (user_obj.role, frozenset(permission_names(user_obj.role)))
            user_obj._role_permissions = cached
        return cached[1]

    async def aget_user_permissions(self, user_obj, obj=None):
        return set()

    async def aget_group_permissions(self, user_obj, obj=None):
        return set()

    async def aget_all_permissions(self, user_obj, obj=None):
        return self.get_all_permissions(user_obj, obj)

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        """The users whose role holds ``perm`` (``User.objects.with_perm``), as ``ModelBackend`` answers it:
        administrators count as superusers, ``is_active=None`` means active or not."""
        if isinstance(perm, Permission):
            perm = f"{perm.content_type.app_label}.{perm.codename}"
        elif not isinstance(perm, str):
            raise TypeError("The permission should be a Permission or an 'app_label.codename' string.")
        elif "." not in perm:
            raise ValueError("The permission should be in the form 'app_label.codename'.")
        if obj is not None:
            return User.objects.none()
        roles = [role for role in Role if role != Role.ADMINISTRATOR and perm in permission_names(role)]
        if include_superusers:
            roles.append(Role.ADMINISTRATOR)
        users = User.objects.filter(role__in=roles)
        return users if is_active is None else users.filter(is_active=is_active)


# The placeholder for the user's id in the compiled query: a valid id no account has (negative), and no
# other parameter of that query is a number like it.
_USER_ID = -2_000_000_123
_SESSION_USER_SQL = {}
# What other apps read with the session's user, by name: (annotations(user_id, vendor), attach(user),
# keeps(user)).
_SESSION_EXTRAS = {}


def read_with_session_user(name, annotations, attach, keeps=None):
    """Read more about the session's user in its one query: ``annotations(user_id, vendor)`` gives the
    expressions to annotate it with (for the user with that id), ``attach(user)`` turns them into what the
    app keeps on the user, ``keeps(user)`` says whether what was read may be kept while no write changes it
    (False: it changes with time alone, a mute that ends; None: always). For an app above accounts (the
    blog's visibility rule: its ready() registers ViewerFacts), which accounts cannot import."""
    _SESSION_EXTRAS[name] = (annotations, attach, keeps)
    _SESSION_USER_SQL.clear()
    _READ_TABLES.clear()


def _is_user_id(param):
    return type(param) is int and param == _USER_ID


class _SessionUserQuery:
    """The session user's query for one database, compiled: User.with_unread_count with what other apps
    read with it (read_with_session_user), by primary key, _USER_ID where the id goes; and how the ORM
    turns its row into a User (the model's columns, the annotations, the database's converters)."""

    def __init__(self, alias):
        users = User._default_manager.with_unread_count()
        for annotations, _attach, _keeps in _SESSION_EXTRAS.values():
            users = users.annotate(**annotations(_USER_ID, connections[alias].vendor))
        compiler = users.filter(pk=_USER_ID).query.get_compiler(using=alias)
        self.alias, self.compiler = alias, compiler
        self.sql, self.params = compiler.as_sql()
        fields = compiler.klass_info["select_fields"]
        self.columns = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in compiler.select[self.columns]]
        self.annotations = dict(compiler.annotation_col_map)
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(selected)
        # What a kept copy's row was read with: a deploy that changes the query never builds a user from
        # a row of the old one.
        self.digest = hashlib.blake2b(repr((self.sql, self.params)).encode(), digest_size=12).hexdigest()
        # Where the password is in a row (a copy keeps the row without it), and the columns less it.
        self.password = self.columns.start + self.init_list.index("password")
        self.without_password = [name for name in self.init_list if name != "password"]

    def user(self, user_id):
        """The user with ``user_id`` as the ORM would build them from the row, or None; the row (converted)
        is kept on them as ``_session_row``, for a copy."""
        params = [user_id if _is_user_id(param) else param for param in self.params]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = tuple(next(iter(self.compiler.apply_converters([row], self.converters))))
        user = self.built(row)
        user._session_row = row
        return user

    def built(self, row):
        """The user the ORM builds from ``row`` (one of this query's, converted), annotations and all."""
        user = User.from_db(self.alias, self.init_list, row[self.columns])
        for name, position in self.annotations.items():
            setattr(user, name, row[position])
        return user

    def built_without_password(self, row, session_auth_hash):
        """The user built from ``row`` less its password (a copy's): the password deferred (read from the
        database if anything asks for it), the session's hash of it as kept with the row."""
        columns = slice(self.columns.start, self.columns.stop - 1)
        user = User.from_db(self.alias, self.without_password, row[columns])
        for name, position in self.annotations.items():
            setattr(user, name, row[position - 1 if position > self.password else position])
        user._kept_session_auth_hash = session_auth_hash
        return user


def _session_user_query(alias):
    # One per thread: the compiler converts with the connection of the thread that made it.
    key = (alias, threading.get_ident())
    query = _SESSION_USER_SQL.get(key)
    if query is None:
        query = _SESSION_USER_SQL[key] = _SessionUserQuery(alias)
    return query


# --- The session's user, kept -------------------------------------------------------------------------------
#
# The row of the session's user (with what other apps read with it) is kept in the cache under the session's
# key, and read with the session itself, in its trip to the cache (UserPreferencesMiddleware wants the keys
# before the session is read: flasky_project.readahead.ScopeMiddleware has opened the request's read-ahead).
# A copy is used only under the generation it was read in, which every write to a table the query reads
# renews (watch_session_users: the account itself, its last_seen and password included, its notifications,
# blocks, mutes, muted words and posts; from whichever process, at once and again on commit). A user whose
# row holds a timed fact (a mute that ends) is not kept (``keeps``), nor is anything with read replicas,
# where the row may come from a replica that has not seen the write yet. A hit costs the session's user no
# query; Django still checks the session's hash against the copy's password, as against a row read now.

GENERATION_KEY = "session-users:generation"
_COPY_PREFIX = "session-user:v1:"
_session_key = ContextVar("flasky_session_key", default=None)


def _copy_key(session_key):
    return _COPY_PREFIX + hashlib.sha256(session_key.encode()).hexdigest()


def _keeps_copies():
    return settings.FLASKY_SESSION_USER_SECONDS > 0 and pagecache.settled("")


@contextmanager
def session_user_read_ahead(request):
    """Inside, a session's user is read from their kept copy when it is current; the copy's keys are wanted
    with the session's own trip to the cache (so enter this before the session is read)."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key or not _keeps_copies():
        yield
        return
    readahead.want([GENERATION_KEY, _copy_key(session_key)])
    token = _session_key.set(session_key)
    try:
        yield
    finally:
        _session_key.reset(token)


def _kept_copy(query, user_id):
    """(the session's user built from their copy, or None when it is not of this query, this user and the
    current generation; the current generation, or None when copies are not kept for this request)."""
    session_key = _session_key.get()
    if session_key is None:
        return None, None
    key = _copy_key(session_key)
    found = cache.get_many([GENERATION_KEY, key])
    copy = found.get(key)
    generation = pagecache.current_generation(GENERATION_KEY, found)
    if not (isinstance(copy, tuple) and len(copy) == 5 and copy[:3] == (generation, query.digest, user_id)):
        return None, generation
    user = query.built_without_password(copy[3], copy[4])
    if user.pk != user_id:
        return None, generation
    for _annotations, attach, _keeps in _SESSION_EXTRAS.values():
        attach(user)
    return user, generation


def _keep_copy(query, user, generation):
    """Keep ``user``'s row for their session's next requests, under ``generation`` (read before the row)."""
    row = user.__dict__.pop("_session_row", None)
    session_key = _session_key.get()
    if session_key is None or generation is None or row is None:
        return
    if not all(keeps(user) for _annotations, _attach, keeps in _SESSION_EXTRAS.values() if keeps is not None):
        return
    # (without the password: a copy keeps the session's hash of it instead, and a request that reads the
    # password itself reads it from the database: accounts.models.User.get_session_auth_hash)
    without_password = row[: query.password] + row[query.password + 1 :]
    copy = (generation, query.digest, user.pk, without_password, user.get_session_auth_hash())
    cache.set(_copy_key(session_key), copy, settings.FLASKY_SESSION_USER_SECONDS)


def _bump():
    pagecache.renew_generation(GENERATION_KEY)


_READ_TABLES = {}
# A table after FROM or JOIN, quoted or not, its schema left out.
_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+(?:"?\w+"?\.)?"?([A-Za-z_]\w*)"?', re.IGNORECASE)


def _read_tables(alias):
    """The tables the session's user's query reads on the database ``alias``: those its SQL names (the
    annotations' subqueries, written out by other apps, among them) and those the ORM joined."""
    tables = _READ_TABLES.get(alias)
    if tables is None:
        query = _SessionUserQuery(alias)
        joined = {join.table_name for join in query.compiler.query.alias_map.values()}
        tables = _READ_TABLES[alias] = frozenset(_TABLE.findall(query.sql)) | joined
    return tables


def watch_session_users(execute, sql, params, many, context):
    """A database execute wrapper (installed on every connection: accounts.apps): a write to a table the
    session's user is read from makes a new generation of kept copies, at once and again when the
    transaction commits (a copy read from the uncommitted state meanwhile is kept under the first one)."""
    result = execute(sql, params, many, context)
    table = pagecache.written_table(sql)
    connection = context["connection"]
    if table is not None and table in _read_tables(connection.alias) and not _changed_nothing(sql, context):
        pagecache.bump_now_and_on_commit(connection, _bump)
    return result


def _changed_nothing(sql, context):
    """Whether ``sql``, a write, was an UPDATE that changed no row (the conditional update of last_seen,
    mostly). Only an UPDATE is asked: a statement with RETURNING counts no row on SQLite until its rows are
    read."""
    if sql.lstrip()[:6].upper() != "UPDATE" or " RETURNING " in sql.upper():
        return False
    return getattr(context.get("cursor"), "rowcount", -1) == 0


def install_session_users_watcher(sender=None, connection=None, **kwargs):
    """connection_created receiver: every connection of every process watches its writes."""
    if watch_session_users not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_session_users)  # (outside the slow-query timer)
