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
        from social import derived

        derived.connect()
