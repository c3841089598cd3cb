"""Lists of posts as pages show them: the one helper every list of posts goes through.

``post_page(request, posts)`` applies the one visibility rule (``Post.objects.visible_to``), fetches what a
list shows (``for_list``: author, a talk's details, the comment count; ``flag_muted_words``: whether the
post contains a word the viewer muted, which the list folds behind "Show anyway"), cuts one page without
counting, and decorates each post for the viewer. Home (All and Followed), profiles and the other lists use
it; a list that finds its posts another way (search ranks them in SQL of its own) still reads them through
``visible_to`` and ``decorate``.
"""

from django.conf import settings
from django.utils.translation import get_language

from blog import translation
from flasky_project.pagination import window


def post_page(request, posts, *, per_page=None):
    """The requested page of ``posts`` (a Post queryset) that the viewer may see, newest first, decorated;
    a Window, never counted (bad page numbers are a 404)."""
    per_page = per_page or settings.FLASKY_POSTS_PER_PAGE
    viewer = request.user
    page = window(request, posts.visible_to(viewer).for_list().flag_muted_words(viewer), per_page)
    decorate(page, request.user)
    return page


def decorate(posts, user):
    """Ready listed posts for display by ``user``: whether they may edit each (and whether only as an
    administrator), and whether to offer a translation into the reader's language. Returns the posts as a
    list."""
    posts = list(posts)
    language = get_language()
    for post in posts:
        post.viewer_is_author = user.is_authenticated and post.author_id == user.pk
        post.viewer_can_edit = post.can_edit(user)
        post.viewer_can_translate = translation.can_translate(post, language)
    return posts
