"""RSS and Atom feeds: every post, each user's posts, each tag's posts, each post's comments.

Titles and descriptions hold text users typed (post titles, names). Atom says so (type="text"); RSS has no
way to, and many readers render its titles as HTML, so there they are escaped. An item's content is the
post's or comment's sanitised HTML, and stays HTML.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from blog import services
from blog.models import Comment, Post

FEED_LENGTH = 20


class TextRssFeed(Rss201rev2Feed):
    def __init__(self, *args, **kwargs):
        for name in ("title", "description"):
            if kwargs.get(name):
                kwargs[name] = escape(kwargs[name])
        super().__init__(*args, **kwargs)

    def add_item(self, *args, **kwargs):
        kwargs["title"] = escape(kwargs["title"])
        super().add_item(*args, **kwargs)


class _TextTitles:
    """Passes writes on to an XML handler, marking titles and subtitles as text."""

    def __init__(self, handler):
        self._handler = handler

    def addQuickElement(self, name, contents=None, attrs=None):
        if name in ("title", "subtitle") and not attrs:
            attrs = {"type": "text"}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self._handler, name)


class TextAtomFeed(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(_TextTitles(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(_TextTitles(handler), item)


class PostFeed(Feed):
    """What every post feed shares: one item per post, its sanitised HTML as the content."""

    feed_type = TextRssFeed

    def item_title(self, post):
        return str(post)

    def item_description(self, post):
        return post.body_html

    def item_author_name(self, post):
        return post.author.username

    def item_author_link(self, post):
        return post.author.get_absolute_url()

    def item_pubdate(self, post):
        return post.created

    def item_updateddate(self, post):
        return post.updated


class LatestPostsFeed(PostFeed):
    title = _("Flasky: latest posts")
    description = _("The newest posts on Flasky.")

    def link(self):
        return reverse("home")

    def items(self):
        return _public_posts().newest_first()[:FEED_LENGTH]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = TextAtomFeed
    subtitle = LatestPostsFeed.description


class UserPostsFeed(PostFeed):
    def get_object(self, request, username):
        return get_object_or_404(User, username=username)

    def title(self, user):
        return _("Flasky: posts by %(username)s") % {"username": user.username}

    def description(self, user):
        return _("The newest posts by %(username)s on Flasky.") % {"username": user.username}

    def link(self, user):
        return user.get_absolute_url()

    def items(self, user):
        return _public_posts().by(user).newest_first()[:FEED_LENGTH]


class UserPostsAtomFeed(UserPostsFeed):
    feed_type = TextAtomFeed

    def subtitle(self, user):
        return self.description(user)


class TagPostsFeed(PostFeed):
    def get_object(self, request, name):
        try:
            tag = services.tag_named(name)
        except services.BadTagName as error:
            raise Http404(_("That is not a tag.")) from error
        return tag or services.normalise_tag(name)  # a word no post has yet: an empty feed

    def _name(self, tag):
        return getattr(tag, "name", tag)

    def title(self, tag):
        return _("Flasky: posts tagged #%(name)s") % {"name": self._name(tag)}

    def description(self, tag):
        return _("The newest posts tagged #%(name)s on Flasky.") % {"name": self._name(tag)}

    def link(self, tag):
        return reverse("blog:tag", args=[self._name(tag)])

    def items(self, tag):
        if isinstance(tag, str):
            return []
        return _public_posts().tagged(tag)[:FEED_LENGTH]


class PostCommentsFeed(Feed):
    feed_type = TextRssFeed

    def get_object(self, request, pk):
        return get_object_or_404(_public_posts(), pk=pk)

    def title(self, post):
        return _("Flasky: comments on “%(post)s”") % {"post": post}

    def description(self, post):
        return _("The newest comments on “%(post)s”.") % {"post": post}

    def link(self, post):
        return post.get_absolute_url()

    def items(self, post):
        return Comment.objects.on(post).shown().select_related("author", "post").newest_first()[:FEED_LENGTH]

    def item_title(self, comment):
        return _("%(name)s on “%(post)s”") % {"name": comment.display_name, "post": comment.post}

    def item_description(self, comment):
        return comment.body_html

    def item_author_name(self, comment):
        return comment.display_name

    def item_pubdate(self, comment):
        return comment.created


class PostCommentsAtomFeed(PostCommentsFeed):
    feed_type = TextAtomFeed

    def subtitle(self, post):
        return self.description(post)


def _public_posts():
    """Feeds are public documents, shared and cached by feed readers: they list what anyone may see, whoever
    fetches them (the one visibility rule, for the anonymous visitor)."""
    return Post.objects.visible_to(AnonymousUser()).select_related("author")
