"""The project's own app: pages composed from several apps, and what every process sets up at start."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class FlaskyProjectConfig(AppConfig):
    name = "flasky_project"

    def ready(self):
        from flasky_project.observability import install_query_timer
        from flasky_project.pagecache import install_write_watcher

        # Every connection, in web workers, the task worker and commands alike, invalidates the page cache.
        connection_created.connect(install_write_watcher, dispatch_uid="flasky_project.pagecache")
        # Every connection logs its slow queries (observability).
        connection_created.connect(install_query_timer, dispatch_uid="flasky_project.observability")
