"""The moderation app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")
    role_permissions = {"moderator": ["view_report", "view_sanction"]}

    def ready(self):
        from flasky_project import readahead
        from moderation.services import notice_key

        # Every page of a member asks whether a warning waits for them (moderation.middleware).
        readahead.register(readahead.EVERY_PAGE, lambda user: [notice_key(user.pk)])
