"""Template tags every page uses: avatars, times, query strings."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def avatar(user, size=40, css_class="rounded"):
    """The user's picture as an <img> of ``size`` pixels, with alt text."""
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="avatar {}" loading="lazy">',
        user.avatar_url(size),
        size,
        size,
        _("Avatar of %(username)s") % {"username": user.username},
        css_class,
    )


@register.simple_tag
def reltime(value):
    """A moment as "3 minutes ago" in a <time> element whose tooltip gives the date and time in full.

    Rendered on the server in the reader's language and time zone, so it is right without JavaScript;
    site.js keeps the relative text current while the page stays open.
    """
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" title="{}" data-reltime>{}</time>',
        value.isoformat(),
        date_format(timezone.localtime(value), "DATETIME_FORMAT"),
        naturaltime(value),
    )


@register.simple_tag(takes_context=True)
def query_string(context, **changes):
    """The current query string with some parameters replaced (None removes one): for pager links."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
