"""The talks app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = _("Talks")
    role_permissions = {"moderator": ["view_talk"]}

    def ready(self):
        from flasky_project import readahead, shells
        from talks.services import pending_count_keys
        from talks.upcoming import upcoming_key
        from talks.views import fill_follow_block

        # A kept profile's follow block, drawn for each reader (flasky_project.shells).
        shells.register_filler("follow", fill_follow_block)

        # The navbar's count of waiting comments (every page), the sidebar's talks coming up.
        readahead.register(readahead.EVERY_PAGE, pending_count_keys)
        readahead.register("sidebar", lambda user: [upcoming_key(user)])
