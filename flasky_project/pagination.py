"""Pagination: a page number from the query string, or a clear 404 when it names no page."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, object_list, per_page, *, number=None):
    """The requested page of ``object_list``; ?page=abc, ?page=-1 and pages past the end are a 404."""
    paginator = Paginator(object_list, per_page)
    try:
        return paginator.page(number if number is not None else request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(_("There is no such page.")) from error


def page_numbers(page, *, left_edge=2, left_current=2, right_current=4, right_edge=2):
    """Flasky's pager: the first two pages, two before the current to four after it, the last two; None
    marks each gap (page 50 of 100 gives 1, 2, None, 48 … 54, None, 99, 100)."""
    last_shown = 0
    total = page.paginator.num_pages
    for number in range(1, total + 1):
        if (
            number <= left_edge
            or page.number - left_current <= number <= page.number + right_current
            or number > total - right_edge
        ):
            if number != last_shown + 1:
                yield None
            yield number
            last_shown = number
