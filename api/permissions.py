"""What a caller may do: be a confirmed account (every endpoint), hold a role's permission, own the thing."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.roles import COMMENT, FOLLOW, WRITE

INSUFFICIENT_PERMISSIONS = _("Insufficient permissions")


class IsConfirmedUser(permissions.BasePermission):
    """Flasky's API has no anonymous access, and unconfirmed accounts get a 403 of their own."""

    message = _("Unconfirmed account")

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False  # a 401: DRF answers NotAuthenticated to a request nobody authenticated
        return request.user.confirmed


class RolePermission(permissions.BasePermission):
    """The caller's role grants ``permission`` (checked on the methods in ``methods`` only)."""

    message = INSUFFICIENT_PERMISSIONS
    permission = None
    methods = ("POST", "PUT", "PATCH", "DELETE")

    def has_permission(self, request, view):
        return request.method not in self.methods or request.user.has_perm(self.permission)


class CanWrite(RolePermission):
    permission = WRITE


class CanComment(RolePermission):
    permission = COMMENT


class CanFollow(RolePermission):
    permission = FOLLOW
