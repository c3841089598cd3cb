"""The api app's configuration."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # drf-spectacular finds the authentication schemes' extensions once their module is imported.
        from api import schema  # noqa: F401, PLC0415
        from api.shared_pages import install_marks_watcher  # noqa: PLC0415

        # Every connection notices writes to the likes and bookmarks (the callers' kept marks).
        connection_created.connect(install_marks_watcher, dispatch_uid="api.shared_pages")
