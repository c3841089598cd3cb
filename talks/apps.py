"""The talks app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = _("Talks")
    role_permissions = {"moderator": ["view_talk"]}
    # Talks are posts: the blog's lists show their details (see blog.listing).
    post_list_decorators = ["talks.listing.attach_talks"]
    post_list_partials = ["talks/_post_talk.html"]
