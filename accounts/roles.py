"""Roles and permissions: Flasky's table, in code, answered from memory.

A user has exactly one role (``User.role``); this table says what each role may do, in the names Django's
``has_perm`` uses, and ``accounts.backends.RoleBackend`` answers from it without a query. Apps grant roles
extra permissions of their own (for the Django admin) through a ``role_permissions`` mapping on their
AppConfig, so this module names no other app. Administrators are superusers: they hold every permission of
every model, including those of apps added later.
"""

import functools

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.core.signals import setting_changed
from django.dispatch import receiver

from accounts.models import Role

FOLLOW = "accounts.follow"
COMMENT = "accounts.comment"
WRITE = "accounts.write"
MODERATE = "accounts.moderate"
ADMIN = "accounts.admin"

ROLE_PERMISSIONS = {
    Role.USER: [FOLLOW, COMMENT, WRITE],
    Role.MODERATOR: [FOLLOW, COMMENT, WRITE, MODERATE],
    Role.ADMINISTRATOR: [FOLLOW, COMMENT, WRITE, MODERATE, ADMIN],
}


def permission_names(role):
    """Every permission ("app_label.codename") the role holds.

    No query: the table above, read afresh on each call (so a role changed on a user object is seen by
    the next check), and what the installed apps grant, worked out once per role in a process (walking
    the apps was the first permission check of every request: about 3% of a kept home page in cProfile;
    the cache is emptied when the installed apps change)."""
    role = Role(role)
    if role == Role.ADMINISTRATOR:
        return _every_permission_name()
    return set(ROLE_PERMISSIONS[role]) | _granted_by_apps(role.value)


@functools.cache
def _granted_by_apps(role):
    return frozenset(
        f"{app_config.label}.{codename}"
        for app_config in apps.get_app_configs()
        for codename in getattr(app_config, "role_permissions", {}).get(role, [])
    )


@functools.cache
def _every_permission_name():
    return frozenset(every_permission_name())


@receiver(setting_changed)
def _forget_the_apps(setting, **kwargs):
    if setting == "INSTALLED_APPS":
        _granted_by_apps.cache_clear()
        _every_permission_name.cache_clear()


def every_permission_name():
    """The permissions Django creates for the installed models (what ``Permission.objects.all()`` holds
    after migrating), from the models' options instead of the database."""
    names = set()
    for model in apps.get_models():
        options = model._meta
        names.update(
            f"{options.app_label}.{get_permission_codename(action, options)}"
            for action in options.default_permissions
        )
        names.update(f"{options.app_label}.{codename}" for codename, _ in options.permissions)
    return names


def sees_member_emails(user):
    """Members' email addresses are shown to administrators only: on profiles, and in the Django admin,
    where moderators can neither read nor search them."""
    return user.has_perm(ADMIN)
