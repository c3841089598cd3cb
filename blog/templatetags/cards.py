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
def icons():
    """The address of the Bootstrap Icons sprite."""
    return cards.icons_url()


@register.simple_tag(takes_context=True)
def comment_items(context, comments, **options):
    """Each comment's <li>, its replies inside, with the reader's actions: see blog.threads.comment_items.
    The reader's CSRF token is the context's, as ``{% csrf_token %}`` renders it."""
    return threads.comment_items(comments, csrf_input=CsrfTokenNode().render(context), **options)
