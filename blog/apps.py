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
