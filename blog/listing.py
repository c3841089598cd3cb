"""Lists of posts that apps above the blog add to, without the blog knowing them.

An app declares on its AppConfig::

    post_list_decorators = ["talks.listing.attach_talks"]  # f(posts): adds to a list of posts in one query
    post_list_partials = ["talks/_post_talk.html"]          # shown in each listed post, given `post` only

A decorator may give some posts a page and an editor of their own (``post.page_url``, ``post.edit_url``):
lists link there, and the blog's post page and editor send those posts there (a talk is shown and edited by
the talks app).
"""

import functools

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from blog import translation


@functools.cache
def _decorators():
    return tuple(
        import_string(path)
        for app_config in apps.get_app_configs()
        for path in getattr(app_config, "post_list_decorators", ())
    )


@functools.cache
def partials():
    """Template names every listed post includes (with ``post`` only), in app order."""
    return tuple(
        name
        for app_config in apps.get_app_configs()
        for name in getattr(app_config, "post_list_partials", ())
    )


def decorate(posts, user):
    """Ready listed posts for display: whether the viewer may edit each (and whether only as an
    administrator), whether to offer a translation into the reader's language, where each is shown and
    edited, and what other apps add. Returns the posts as a list."""
    posts = list(posts)
    language = get_language()
    for post in posts:
        post.viewer_is_author = user.is_authenticated and post.author_id == user.pk
        post.viewer_can_edit = post.can_edit(user)
        post.viewer_can_translate = translation.can_translate(post, language)
        post.page_url = post.get_absolute_url()
        post.edit_url = reverse("blog:edit", args=[post.pk])
    if posts:
        for decorator in _decorators():
            decorator(posts)
    return posts


def has_own_page(post):
    """Whether a decorated post is shown by another app's page (see the module docstring)."""
    return post.page_url != post.get_absolute_url()
