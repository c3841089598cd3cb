"""Roles and permissions, Flasky's table expressed with Django permissions.

Each role is a Django group holding its permissions; a user belongs to exactly one role (``User.role``), and
``accounts.backends.RoleBackend`` answers ``has_perm`` from that role's group. Administrators hold every
permission. Apps grant roles extra permissions of their own (for the Django admin) through a
``role_permissions`` mapping on their AppConfig, so this module names no other app.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

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

# Group names are stable identifiers (the role labels shown to people are translated separately).
GROUP_NAMES = {Role.USER: "User", Role.MODERATOR: "Moderator", Role.ADMINISTRATOR: "Administrator"}


def permission_names_for(role):
    """Every permission name ("app_label.codename") the role's group should hold."""
    names = list(ROLE_PERMISSIONS[role])
    for app_config in apps.get_app_configs():
        for codename in getattr(app_config, "role_permissions", {}).get(role.value, []):
            names.append(f"{app_config.label}.{codename}")
    return names


def sync_role_groups(using="default"):
    """Create or update the three role groups so they hold exactly their permissions. Idempotent."""
    with transaction.atomic(using=using):
        every = {
            (permission.content_type.app_label, permission.codename): permission
            for permission in Permission.objects.using(using).select_related("content_type")
        }
        for role in Role:
            group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
            wanted = {tuple(name.split(".", 1)) for name in permission_names_for(role)}
            group.permissions.set([every[key] for key in wanted if key in every])


def role_permission_names(role, using="default"):
    """The permission names the role's group holds now, as ``has_perm`` spells them."""
    rows = Permission.objects.using(using).filter(group__name=GROUP_NAMES[Role(role)])
    pairs = rows.values_list("content_type__app_label", "codename")
    return {f"{app_label}.{codename}" for app_label, codename in pairs}
