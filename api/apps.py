"""The api app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # drf-spectacular finds the authentication schemes' extensions once their module is imported.
        from api import schema  # noqa: F401, PLC0415
