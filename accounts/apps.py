"""The accounts app's configuration."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    # Django permissions of this app that a role holds beyond the five Flasky permissions (see roles.py).
    role_permissions = {"moderator": ["view_user"]}

    def ready(self):
        # Django creates each app's permissions after that app migrates, so the role groups are brought up
        # to date after every app's post_migrate (the sync is idempotent and cheap). Flushed test databases
        # get their groups back the same way.
        post_migrate.connect(_sync_role_groups, dispatch_uid="accounts_sync_role_groups")


def _sync_role_groups(sender, using="default", **kwargs):
    from accounts.roles import sync_role_groups  # models are importable only once apps are ready

    sync_role_groups(using=using)
