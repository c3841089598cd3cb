"""Template tags every page uses: avatars, times, query strings."""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
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
def moment(value, relative=True, local=False):
    """A moment for HTML shared by every reader (the cached post cards and comments): a <time> element
    whose text is the date and time in UTC, in the page's language, so the fragment holds nothing of the
    reader but their language. site.js rewrites the text in the browser: "3 minutes ago" (``relative``)
    or the date and time in the reader's own zone, and adds the full date as a tooltip. Without
    JavaScript the UTC text stays, correct though not local. ``local``: for HTML drawn for one reader (the
    notifications), the text in the reader's zone (the active one) instead, with no zone named."""
    if not value:  # None, or a template's empty string for a missing object
        return ""
    # Formatted as it is, in UTC (a format reads the moment's own zone): switching the current time zone to
    # UTC and back to convert it cost more than the formatting (a moment cost 100 µs in English, now 40 µs).
    utc = value.astimezone(datetime.UTC)
    kind = "data-reltime" if relative else "data-localtime"
    if local:
        text = escape(date_format(timezone.localtime(value), "DATETIME_FORMAT"))
    else:
        text = escape(date_format(utc, "DATETIME_FORMAT")) + " UTC"
    return mark_safe(f'<time datetime="{utc.isoformat()}" {kind}>{text}</time>')  # noqa: S308 - escaped


# --- Pagers -------------------------------------------------------------------------------------------------
#
# Drawn in Python: as inclusion tags with a template loop over the page links they cost 0.6 ms of every list
# page (one copy of the query a link, a dozen {% if %} and lookups a link). The markup is the one
# templates/_pager.html and templates/_pagination.html had; flasky_project/tests/test_pager_markup.py holds
# it to those templates (kept beside the test as pager_reference.html and pagination_reference.html).


@register.simple_tag(takes_context=True)
def pagination(context, page, fragment=""):
    """Flasky's pager for a Django Page: « 1 2 … 48 49 [50] 51 … 99 100 », keeping the other query
    parameters and adding ``fragment`` (e.g. "#comments") to every link."""
    if page.paginator.num_pages <= 1:
        return ""
    link = _page_link(context["request"], fragment)
    numbers = [(number, link(number) if number else None) for number in page_numbers(page)]
    previous = link(page.previous_page_number()) if page.has_previous() else None
    next_ = link(page.next_page_number()) if page.has_next() else None
    return _pager_html(page.number, numbers, previous, next_, gap_hidden=False)


@register.simple_tag(takes_context=True)
def pager(context, window, fragment=""):
    """Numbered pages for a Window (a list never counted on the request): « 1 … 4 5 [6] 7 8 … about 120 »,
    the last as ``?page=last`` (which finds it exactly) and "about" its number (a cached or estimated
    total); without a total, the pages up to the next one."""
    previous_number = window.previous_page_number() if window.has_previous() else None
    next_number = window.next_page_number() if window.has_next() else None
    if previous_number is None and next_number is None:
        return ""
    link = _page_link(context["request"], fragment)
    last = window.last_page_number
    known = last if last is not None else window.number + 1 if window.has_next() else window.number
    numbers = list(window_numbers(window.number, known))
    # The last page gets its own "about N" link unless the numbers reach it already (or it is unknown).
    estimated_last = last if last is not None and window.has_next() and numbers[-1] != last else None
    if estimated_last is not None and numbers[-1] != last - 1:
        numbers.append(None)
    numbers = [(number, link(number) if number else None) for number in numbers]
    last_link = None
    if estimated_last is not None:
        pages = conditional_escape(intcomma(estimated_last))
        last_link = format_html(
            '<li class="page-item"><a class="page-link" href="{}" aria-label="{}">{}</a></li>',
            link(LAST_PAGE),
            mark_safe(_("Last page, about %(pages)s") % {"pages": pages}),  # noqa: S308 - escaped
            mark_safe(_("about %(pages)s") % {"pages": pages}),  # noqa: S308 - escaped
        )
    previous = link(previous_number) if previous_number is not None else None
    next_ = link(next_number) if next_number is not None else None
    return _pager_html(window.number, numbers, previous, next_, gap_hidden=True, last_link=last_link)


_PREVIOUS = '<a class="page-link" href="{}" rel="prev" aria-label="{}">&laquo;</a>'
_NEXT = '<a class="page-link" href="{}" rel="next" aria-label="{}">&raquo;</a>'
_CURRENT = '<li class="page-item active" aria-current="page"><span class="page-link">{}</span></li>'
_NUMBER = '<li class="page-item"><a class="page-link" href="{}">{}</a></li>'
_GAP = '<li class="page-item disabled"{}><span class="page-link">&hellip;</span></li>'


def _pager_html(current, numbers, previous, next_, *, gap_hidden, last_link=None):
    """The pager's <nav>: « (a link when ``previous``), ``numbers`` ([(number, link)], None for a gap; the
    ``current`` one marked), ``last_link`` (an <li>), » (a link when ``next_``)."""
    parts = [
        format_html('<nav aria-label="{}">', _("Pages")),
        '<ul class="pagination pagination-sm flex-wrap">',
        f'<li class="page-item{"" if previous else " disabled"}">',
        format_html(_PREVIOUS, previous, _("Previous page"))
        if previous
        else '<span class="page-link" aria-hidden="true">&laquo;</span>',
        "</li>",
    ]
    gap = _GAP.format(' aria-hidden="true"' if gap_hidden else "")
    for number, url in numbers:
        if number is None:
            parts.append(gap)
        elif number == current:
            parts.append(_CURRENT.format(number))
        else:
            parts.append(format_html(_NUMBER, url, number))
    if last_link:
        parts.append(last_link)
    parts += [
        f'<li class="page-item{"" if next_ else " disabled"}">',
        format_html(_NEXT, next_, _("Next page"))
        if next_
        else '<span class="page-link" aria-hidden="true">&raquo;</span>',
        "</li>",
        "</ul>",
        "</nav>",
    ]
    return mark_safe("\n".join(parts))  # noqa: S308 - every value is escaped above


def _page_link(request, fragment):
    """page number -> the current address with that ?page=, other parameters kept, plus ``fragment``."""
    query = request.GET.copy()  # once: a QueryDict's copy is a deep copy

    def link(number):
        query["page"] = number
        return f"?{query.urlencode()}{fragment}"

    return link
