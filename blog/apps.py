"""The blog app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")
    role_permissions = {"moderator": ["view_post", "view_comment", "change_comment"]}
    email_notifications = {
        "comments_on_my_posts": _("someone comments on one of my posts"),
        "comments_after_mine": _("someone comments after me on a post I asked to follow"),
    }

    def ready(self):
        # SQLite's search triggers stem each post with a Python function: every connection gets it.
        from django.db import connections
        from django.db.backends.signals import connection_created

        from blog.search import add_sql_functions

        connection_created.connect(add_sql_functions, dispatch_uid="blog.search.add_sql_functions")
        for connection in connections.all(initialized_only=True):
            add_sql_functions(connection=connection)
