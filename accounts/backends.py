"""Authentication backend: allauth's email login, with permissions decided by the user's role."""

import threading

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import Permission
from django.db import connections

from accounts.models import Role, User
from accounts.roles import permission_names


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
        user = _session_user_query(alias).user(user_id)
        if user is None or user.pk != user_id:  # (never another's: checked, not assumed from the SQL)
            return None
        for _annotations, attach in _SESSION_EXTRAS.values():
            attach(user)
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
# What other apps read with the session's user, by name: (annotations(user_id, vendor), attach(user)).
_SESSION_EXTRAS = {}


def read_with_session_user(name, annotations, attach):
    """Read more about the session's user in its one query: ``annotations(user_id, vendor)`` gives the
    expressions to annotate it with (for the user with that id), ``attach(user)`` turns them into what the
    app keeps on the user. For an app above accounts (the blog's visibility rule: its ready() registers
    ViewerFacts), which accounts cannot import."""
    _SESSION_EXTRAS[name] = (annotations, attach)
    _SESSION_USER_SQL.clear()


def _is_user_id(param):
    return type(param) is int and param == _USER_ID


class _SessionUserQuery:
    """The session user's query for one database, compiled: User.with_unread_count with what other apps
    read with it (read_with_session_user), by primary key, _USER_ID where the id goes; and how the ORM
    turns its row into a User (the model's columns, the annotations, the database's converters)."""

    def __init__(self, alias):
        users = User._default_manager.with_unread_count()
        for annotations, _attach in _SESSION_EXTRAS.values():
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

    def user(self, user_id):
        """The user with ``user_id`` as the ORM would build them from the row, or None."""
        params = [user_id if _is_user_id(param) else param for param in self.params]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        user = User.from_db(self.alias, self.init_list, row[self.columns])
        for name, position in self.annotations.items():
            setattr(user, name, row[position])
        return user


def _session_user_query(alias):
    # One per thread: the compiler converts with the connection of the thread that made it.
    key = (alias, threading.get_ident())
    query = _SESSION_USER_SQL.get(key)
    if query is None:
        query = _SESSION_USER_SQL[key] = _SessionUserQuery(alias)
    return query
