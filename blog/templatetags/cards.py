"""Template tags for the cached fragments of blog.cards."""

from django import template

from blog import cards

register = template.Library()


@register.simple_tag
def post_cards(posts):
    """[(post, card)] for a list of posts: see blog.cards.post_cards."""
    return cards.post_cards(posts)


@register.simple_tag
def comment_cards(comments, show_post=False, show_hidden=False, show_guest_emails=False):
    """The comments, each with its ``card``: see blog.cards.comment_cards."""
    flags = {"show_post": show_post, "show_hidden": show_hidden, "show_guest_emails": show_guest_emails}
    return cards.comment_cards(comments, **{name: bool(value) for name, value in flags.items()})


@register.simple_tag
def icons():
    """The address of the Bootstrap Icons sprite."""
    return cards.icons_url()
