"""The accounts app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's app (email addresses) has that name in the admin, beside this one.
    verbose_name = _("Users and profiles")
    # Django permissions of this app that a role holds beyond the five Flasky permissions (see roles.py).
    role_permissions = {"moderator": ["view_user"]}

    def ready(self):
        from django.db.backends.signals import connection_created  # noqa: PLC0415
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from accounts import notifications, versions  # noqa: PLC0415
        from accounts.backends import install_session_users_watcher  # noqa: PLC0415
        from accounts.models import User  # noqa: PLC0415
        from flasky_project import readahead  # noqa: PLC0415

        # Any saved or deleted account voids the copies kept of it (see accounts.versions).
        post_save.connect(versions.user_saved_or_deleted, sender=User, dispatch_uid="accounts.versions.save")
        post_delete.connect(
            versions.user_saved_or_deleted, sender=User, dispatch_uid="accounts.versions.delete"
        )
        # Every connection notices writes to what the session's user is read from (their kept copies).
        connection_created.connect(install_session_users_watcher, dispatch_uid="accounts.backends")
        # The notifications page reads its generation with the keys every page reads ahead (accounts.views).
        readahead.register("notifications", lambda user: [notifications.page_generation_key(user.pk)])
