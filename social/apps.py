"""The social app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = _("Social graph")
    role_permissions = {"moderator": ["view_follow"]}
