"""The social app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = _("Social graph")
    role_permissions = {"moderator": ["view_follow", "view_block", "view_mute"]}
    # Read by accounts.notifications._accepting: who refuses notifications caused by an actor.
    notification_refusals = ["social.services.refusing_notifications_from"]

    def ready(self):
        from flasky_project import shells
        from social import derived
        from social.profile import fill_follow_block

        derived.connect()
        # A kept profile's follow block, drawn for each reader (flasky_project.shells).
        shells.register_filler("follow", fill_follow_block)
