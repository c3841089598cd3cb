"""The pagers drawn in Python ({% pager %} for Windows, {% pagination %} for Django Pages) draw exactly what
their templates drew (pager_reference.html and pagination_reference.html beside this file, with the context
their inclusion tags gave them): the same markup, whitespace aside, on every page of short and long lists,
with and without a known total, keeping other query parameters (escaped) and a fragment, in both
languages."""

import re
from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from flasky_project.pagination import LAST_PAGE, Window, page_numbers, window_numbers

HERE = Path(__file__).parent
QUERIES = ["", "page=3", "q=caf%C3%A9+%26+%3Cb%3E&type=people&page=2"]


def normalized(html):
    """``html`` with the whitespace between tags dropped and every other run of it one space."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def link_maker(request, fragment):
    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}{fragment}"

    return link


def pager_context(request, window, fragment):
    """What the {% pager %} inclusion tag handed templates/_pager.html."""
    link = link_maker(request, fragment)
    last = window.last_page_number
    known = last if last is not None else window.number + 1 if window.has_next() else window.number
    numbers = list(window_numbers(window.number, known))
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


def pagination_context(request, page, fragment):
    """What the {% pagination %} inclusion tag handed templates/_pagination.html."""
    link = link_maker(request, fragment)
    return {
        "page": page,
        "numbers": [(number, link(number) if number else None) for number in page_numbers(page)],
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def windows():
    """Windows of 10 a page: every page of lists of 1, 2, 4 and 13 pages with a known total, and the first
    pages of lists whose total is unknown (None) or large (thousands, written with a separator)."""
    for total in (10, 20, 40, 130):
        last = -(-total // 10)
        for number in range(1, last + 1):
            yield Window([], number, 10, has_next=number < last, total=total if number < last else None)
    for number in (1, 2, 5, 9):
        yield Window([], number, 10, has_next=True, total=None)
        yield Window([], number, 10, has_next=True, total=123_456)
        yield Window([], number, 10, has_next=False, total=None)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("query", QUERIES, ids=["plain", "page", "escaped"])
@pytest.mark.parametrize("fragment", ["", "#comments"], ids=["no-fragment", "fragment"])
def test_the_window_pager_draws_what_its_template_drew(language, query, fragment):
    request = RequestFactory().get(f"/somewhere/?{query}")
    reference = engines["django"].from_string((HERE / "pager_reference.html").read_text())
    tag = engines["django"].from_string("{% load flasky %}{% pager window fragment %}")
    drawn_any = False
    with translation.override(language):
        for window in windows():
            drawn = tag.render({"window": window, "fragment": fragment}, request)
            expected = reference.render(pager_context(request, window, fragment))
            assert normalized(drawn) == normalized(expected), (window.number, window.total)
            drawn_any = drawn_any or "page-link" in drawn
    assert drawn_any


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("query", QUERIES, ids=["plain", "page", "escaped"])
@pytest.mark.parametrize("fragment", ["", "#comments"], ids=["no-fragment", "fragment"])
def test_the_page_pagination_draws_what_its_template_drew(language, query, fragment):
    request = RequestFactory().get(f"/somewhere/?{query}")
    reference = engines["django"].from_string((HERE / "pagination_reference.html").read_text())
    tag = engines["django"].from_string("{% load flasky %}{% pagination page fragment %}")
    with translation.override(language):
        for count in (0, 5, 10, 11, 45, 1000):
            paginator = Paginator(range(count), 10)
            for number in paginator.page_range:
                page = paginator.page(number)
                drawn = tag.render({"page": page, "fragment": fragment}, request)
                expected = reference.render(pagination_context(request, page, fragment))
                assert normalized(drawn) == normalized(expected), (count, number)
