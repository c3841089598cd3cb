"""The blog app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")
    role_permissions = {"moderator": ["view_post", "view_comment", "change_comment"]}
    # Unsubscribe links that stop one post's comment emails (see accounts.notifications).
    unsubscribe_scopes = {"comments": "blog.services.find_comment_subscription"}
