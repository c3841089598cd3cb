"""Authentication backend: allauth's email login, with permissions decided by the user's role."""

from allauth.account.auth_backends import AuthenticationBackend

from accounts.models import Role, User
from accounts.roles import role_permission_names


class RoleBackend(AuthenticationBackend):
    """Users have no per-user permissions or groups of their own: their one role's group decides.

    ``ModelBackend.get_all_permissions`` caches the result on the user object, so a request pays one query
    however many checks its page makes. Administrators never get here (``is_superuser`` answers first).
    """

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            user_obj._role_perm_cache = role_permission_names(user_obj.role)
        return user_obj._role_perm_cache

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        name = perm if isinstance(perm, str) else f"{perm.content_type.app_label}.{perm.codename}"
        roles = [role for role in Role if name in role_permission_names(role)]
        if include_superusers:
            roles.append(Role.ADMINISTRATOR)
        users = User.objects.filter(role__in=roles)
        return users.filter(is_active=True) if is_active else users
