"""Template tags every page uses: avatars, times, query strings."""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from flasky_project import dates
from flasky_project.email import absolute_url
from flasky_project.pagination import LAST_PAGE, page_numbers, window_numbers

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


@register.filter
def avatar_src(user, size=64):
    """The avatar's address, absolute (for emails): the uploaded file's, Gravatar's, or the letter avatar as
    a PNG (email programs may not show SVG)."""
    url = user.avatar_url(int(size), kind="png")
    return url if url.startswith("http") else absolute_url(url)


@register.filter
def listify(value):
    """One object as a list of one, for partials that show lists (a post page shows one post)."""
    return [value]


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
        date_format(dates.localtime(value), "DATETIME_FORMAT"),
        naturaltime(value),
    )


@register.simple_tag
def moment(value, relative=True):
    """A moment for HTML shared by every reader (the cached post cards and comments): a <time> element
    whose text is the date and time in UTC, in the page's language, so the fragment holds nothing of the
    reader but their language. site.js rewrites the text in the browser: "3 minutes ago" (``relative``)
    or the date and time in the reader's own zone, and adds the full date as a tooltip. Without
    JavaScript the UTC text stays, correct though not local."""
    if not value:  # None, or a template's empty string for a missing object
        return ""
    with timezone.override(datetime.UTC):
        text = date_format(dates.localtime(value), "DATETIME_FORMAT")
    return format_html(
        '<time datetime="{}" {}>{} UTC</time>',
        value.astimezone(datetime.UTC).isoformat(),
        "data-reltime" if relative else "data-localtime",
        text,
    )


@register.inclusion_tag("_pagination.html", takes_context=True)
def pagination(context, page, fragment=""):
    """Flasky's pager for a Django Page: « 1 2 … 48 49 [50] 51 … 99 100 », keeping the other query
    parameters and adding ``fragment`` (e.g. "#comments") to every link."""
    link = _page_link(context["request"], fragment)
    return {
        "page": page,
        "numbers": [(number, link(number) if number else None) for number in page_numbers(page)],
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


@register.inclusion_tag("_pager.html", takes_context=True)
def pager(context, window, fragment=""):
    """Numbered pages for a Window (a list never counted on the request): « 1 … 4 5 [6] 7 8 … about 120 »,
    the last as ``?page=last`` (which finds it exactly) and "about" its number (a cached or estimated
    total); without a total, the pages up to the next one."""
    link = _page_link(context["request"], fragment)
    last = window.last_page_number
    known = last if last is not None else window.number + 1 if window.has_next() else window.number
    numbers = list(window_numbers(window.number, known))
    # The last page gets its own "about N" link unless the numbers reach it already (or it is unknown).
    estimated_last = last if last is not None and window.has_next() and numbers[-1] != last else None
    if estimated_last is not None and numbers[-1] != last - 1:
        numbers.append(None)
    return {
        "window": window,
        "numbers": [(number, link(number) if number else None) for number in numbers],
        "previous": link(window.previous_page_number()) if window.has_previous() else None,
        "next": link(window.next_page_number()) if window.has_next() else None,
        "last": estimated_last,
        "last_url": link(LAST_PAGE) if estimated_last is not None else None,
    }


def _page_link(request, fragment):
    """page number -> the current address with that ?page=, other parameters kept, plus ``fragment``."""

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}{fragment}"

    return link
