"""Template tags for the cached fragments of blog.cards."""

from django import template
from django.template.defaulttags import CsrfTokenNode

from blog import cards, threads

register = template.Library()


@register.simple_tag
def post_cards(posts):
    """[(post, card)] for a list of posts: see blog.cards.post_cards."""
    return cards.post_cards(posts)


@register.simple_tag
def search_results(posts):
    """The <li>s of search results from the cache: see blog.cards.search_results."""
    return cards.search_results(posts)


@register.simple_tag
def icons():
    """The address of the Bootstrap Icons sprite."""
    return cards.icons_url()


@register.simple_tag(takes_context=True)
def comment_items(context, comments, **options):
    """Each comment's <li>, its replies inside, with the reader's actions: see blog.threads.comment_items.
    The reader's CSRF token is the context's, as ``{% csrf_token %}`` renders it."""
    return threads.comment_items(comments, csrf_input=CsrfTokenNode().render(context), **options)


@register.simple_tag
def post_list(posts, next_url="", csrf_token=""):
    """The <ul> of a list of posts, the reader's actions beside each cached card, or the whole list composed
    once for readers of its kind: see blog.cards.posts_html. ``csrf_token`` as the context holds it
    ("NOTPROVIDED" off a request, like {% csrf_token %})."""
    token = str(csrf_token) if csrf_token and csrf_token != "NOTPROVIDED" else ""  # noqa: S105
    return cards.posts_html(posts, next_url=next_url or "", csrf_token=token)
