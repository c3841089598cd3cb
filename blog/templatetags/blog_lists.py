"""Template tags of the post lists: what other apps show in each listed post (see blog.listing)."""

from django import template

from blog import listing

register = template.Library()


@register.simple_tag
def post_list_partials():
    return listing.partials()
