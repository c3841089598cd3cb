"""The accounts app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's app (email addresses) has that name in the admin, beside this one.
    verbose_name = _("Users and profiles")
    # Django permissions of this app that a role holds beyond the five Flasky permissions (see roles.py).
    role_permissions = {"moderator": ["view_user"]}
