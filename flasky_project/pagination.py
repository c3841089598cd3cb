"""Pagination: a page number from the query string, or a clear 404 when it names no page."""

import datetime
import functools
import hashlib
import json
import math
import time

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from flasky_project import readahead
from flasky_project.moments import moment_or_value


def paginate(request, object_list, per_page, *, number=None, count=None):
    """The requested page of ``object_list``; ?page=abc, ?page=-1 and pages past the end are a 404.
    ``count``, when given, is the list's length as already known (see cached_count)."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(number if number is not None else request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(_("There is no such page.")) from error


class Window:
    """One page of a list whose total is never counted on the request: it knows whether there is a next
    page, and, when there is, about how many items the list holds (``total``, from list_total: a cached
    count or the planner's estimate, or None).

    For lists that can hold millions of rows (every post, every comment): counting them on every request
    would cost as much as the table is big, while fetching one row more than a page costs nothing."""

    def __init__(self, object_list, number, per_page, has_next, total=None):
        self.object_list = object_list
        self.number = number
        self.per_page = per_page
        self.has_next_page = has_next
        self._total = total

    @property
    def total(self):
        """``total`` as given, or, given a function, what it returns (asked once, when first read: see
        window)."""
        if callable(self._total):
            self._total = self._total()
        return self._total

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.has_next_page

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    @property
    def last_page_number(self):
        """This page's number when it is the last; about how many pages there are when the total is known;
        else None."""
        if not self.has_next_page:
            return self.number
        if self.total is None:
            return None
        return max(self.number + 1, page_count(self.total, self.per_page))


def page_count(count, per_page):
    """How many pages ``count`` items fill (an empty list still has its one, empty, page)."""
    return max(1, math.ceil(count / per_page))


# No list has this many pages; a bigger number would overflow the database's OFFSET (a 500, not a 404).
MAX_PAGE_NUMBER = 10**9


def page_number(request):
    """The ?page= number, 1 by default; anything that is not a whole number from 1 to MAX_PAGE_NUMBER is a
    404."""
    try:
        number = int(request.GET.get("page", "1"))
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise Http404(_("There is no such page."))
    return number


LAST_PAGE = "last"


def window(request, queryset, per_page, *, rows=None, with_total=True):
    """The requested page of ``queryset`` without counting it; bad or empty page numbers are a 404.

    Two steps: the page's keys first (one more than the page, which says whether a next page exists),
    walking only the ordering's index, then the page's rows with all their annotations. Done in one step,
    the database would compute every annotation (a comment count, say) for each of the rows an OFFSET
    skips, so deep pages would cost ever more.

    ``rows(keys)``, when given, is the queryset of the rows with those keys, in any order (it need not
    repeat ``queryset``'s conditions, which chose the keys): by default ``queryset`` filtered by them.

    When there is a next page, the list's total comes from list_total (cached: no query on most requests),
    for the pager's "about N" last page. ``?page=last`` is that page, found exactly: one COUNT, then the
    keys from the far end of the ordering (no deep OFFSET); only that request pays for it. With
    ``with_total`` False, neither (the API counts its lists its own way).
    """
    keys_query = queryset.values_list("pk", flat=True)
    fetch = _fetcher(queryset, rows)
    if with_total and request.GET.get("page") == LAST_PAGE:
        return _last_window(fetch, keys_query, per_page)
    number = page_number(request)
    start = (number - 1) * per_page
    compiled = _compiled(keys_query)
    keys = _keys(keys_query, compiled, start, per_page + 1)
    if number > 1 and not keys:
        raise Http404(_("There is no such page."))
    has_next = len(keys) > per_page
    total = None
    if has_next and with_total and compiled is not None:
        # Read when the pager asks for it, its cached count carried by the page's next trip to the cache
        # (the post cards': flasky_project.readahead) instead of a round trip of its own.
        key = _list_key(keys_query, compiled)
        readahead.want([count_key(key)])
        total = functools.partial(_cached_total, keys_query, key)
    elif has_next and with_total:
        total = list_total(keys_query, compiled=compiled)
    return Window(fetch(keys[:per_page]), number, per_page, has_next=has_next, total=total)


def _compiled(keys_query):
    """The keys query's (sql, params), compiled once for both the page's keys and the list total's cache
    key (compiling the visibility rule twice was a millisecond of every list); None when it matches
    nothing by construction, or is sliced already (then Django slices it)."""
    if keys_query.query.is_sliced:
        return None
    try:
        return keys_query.query.sql_with_params()
    except EmptyResultSet:
        return None


def _keys(keys_query, compiled, start, count):
    """``count`` keys from ``start``: with the SQL compiled once, LIMIT and OFFSET appended, as Django
    would write them (PostgreSQL and SQLite alike); a primary key needs no conversion from the row."""
    if compiled is None:
        return list(keys_query[start : start + count])
    sql, params = compiled
    with connections[keys_query.db].cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", (*params, count, start))
        return [row[0] for row in cursor.fetchall()]


def _fetcher(queryset, rows):
    """A function from a page's keys to its rows in the keys' order: ``rows(keys)`` sorted, or ``queryset``
    filtered by them (which keeps the queryset's order)."""

    def fetch(keys):
        if not keys:
            return []
        if rows is None:
            return list(queryset.filter(pk__in=keys))
        position = {key: index for index, key in enumerate(keys)}
        return sorted(rows(keys), key=lambda row: position[row.pk])

    return fetch


def _last_window(fetch, keys_query, per_page):
    count = keys_query.count()
    number = page_count(count, per_page)
    size = count - (number - 1) * per_page
    if keys_query.ordered:
        keys = list(keys_query.reverse()[:size])[::-1]
    else:
        keys = list(keys_query[(number - 1) * per_page : count])
    return Window(fetch(keys), number, per_page, has_next=False, total=count)


def window_of(rows, number, per_page):
    """A Window from ``rows`` fetched with one extra row (which says whether a next page exists)."""
    if number > 1 and not rows:
        raise Http404(_("There is no such page."))
    return Window(rows[:per_page], number, per_page, has_next=len(rows) > per_page)


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


def window_numbers(number, known, *, around=2):
    """The page numbers a Window's pager shows: the first, ``around`` either side of ``number``, up to the
    highest ``known`` to exist; None marks a gap (page 9 of at least 20 gives 1, None, 7 … 11)."""
    shown = [1, *range(max(2, number - around), min(known, number + around) + 1)]
    previous = 0
    for page in shown:
        if page != previous + 1:
            yield None
        yield page
        previous = page


# A cached count is fresh for its timeout, then kept this many times longer as a stale value that callers
# serve while one process recounts (so an expired count never sends every process to the database at once).
STALE_COUNT_LIFETIME = 10
# How long one recount may take before another process may try (a process that died while counting).
RECOUNT_LOCK_SECONDS = 30
# With no count at all yet (a cold cache), how long others wait for the one recount before counting too.
RECOUNT_WAIT_SECONDS = 2.0
_RECOUNT_POLL_SECONDS = 0.05


# List totals are refreshed at most this often (seconds); they are shown as "about N pages".
LIST_TOTAL_TIMEOUT = 300
# On PostgreSQL a list of up to this many rows is counted (cheap, and the planner's estimate of a small
# filtered list is often far out); a bigger one takes the planner's estimate (EXPLAIN), never a COUNT over a
# million rows.
EXACT_COUNT_BELOW = 5000


def list_total(keys_query, *, compiled=None):
    """About how many rows ``keys_query`` (a list's primary keys, in its order) holds: counted or estimated
    at most once a LIST_TOTAL_TIMEOUT per list (the SQL, with the viewer's own clauses, names the list),
    through the shared cache (see cached_count). None for a list that matches nothing by construction.
    ``compiled``: the query's (sql, params) when the caller has compiled it already."""
    if compiled is None:
        try:
            compiled = keys_query.query.sql_with_params()
        except EmptyResultSet:
            return None
    return _cached_total(keys_query, _list_key(keys_query, compiled))


def _list_key(keys_query, compiled):
    """The name of the list ``keys_query`` (compiled: its (sql, params)) for its cached total."""
    sql, params = compiled
    # The moment the rule was compiled is left out of the key: "suspended until after now" is the same list
    # a second later. Any other date (a list's own bound) names its list.
    now = timezone.now()
    named = repr([param for param in params if not _is_now(param, now)])
    return "list:" + hashlib.sha256(f"{keys_query.db}:{sql}:{named}".encode()).hexdigest()[:32]


def _cached_total(keys_query, key):
    return cached_count(key, keys_query, LIST_TOTAL_TIMEOUT, counter=lambda: _count_or_estimate(keys_query))


# How long before a list's total is looked up its query may have been compiled (within the same request).
COMPILED_WITHIN = datetime.timedelta(minutes=1)


def _is_now(param, now):
    """Whether a query parameter is the moment its query was compiled (as a datetime, or as the database
    adapter writes one), rather than a date of the list's own."""
    return moment_or_value(param, now - COMPILED_WITHIN, now)[0] != "value"


def _count_or_estimate(keys_query):
    if connections[keys_query.db].vendor != "postgresql":
        return keys_query.count()
    # Counting stops past EXACT_COUNT_BELOW rows (a few thousand index entries): one cheap query for a small
    # list, and only a big one asks the planner as well.
    counted = keys_query[: EXACT_COUNT_BELOW + 1].count()
    return counted if counted <= EXACT_COUNT_BELOW else max(counted, planner_estimate(keys_query))


def planner_estimate(queryset):
    """PostgreSQL's estimate of how many rows ``queryset`` returns (EXPLAIN: the plan only, nothing run)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_key(key):
    """The cache key of the count ``key`` (to read it ahead, with other keys: see cached_count)."""
    # "counts:" (not the "count:" of before, which held a bare number): a cache that outlives a deploy must
    # not hand this code an entry of the old shape.
    return f"counts:{key}"


def cached_count(key, queryset, timeout=60, *, counter=None, found=None):
    """The length of a table-sized list, counted at most once a ``timeout`` per site (through the shared
    cache): counting a million rows takes a tenth of a second, too long to pay on every request. Such a
    count is for showing only (a total a minute old is as good), never for cutting a page: pages know
    whether they have a next page by fetching one item more. Small, per-user lists are counted as they are.

    Only one process recounts an expired count (it takes a lock with the cache's atomic add()); the others
    keep answering the old count meanwhile, or, when there is none yet, wait briefly for the new one.
    ``counter``, when given, does the counting instead of ``queryset.count()`` (an estimate, say);
    ``found``, the values this request already read from the cache (the API reads a view's count with
    the caller's account, in one round trip: api.authentication), by key: the count's is used when there."""
    counter = counter or queryset.count
    cache_key = count_key(key)
    if found is not None and cache_key in found:
        entry = _entry(found.pop(cache_key))
    else:
        entry = _entry(cache.get(cache_key))  # (count, fresh until) or None
    if entry is not None and entry[1] > time.time():
        return entry[0]
    lock = f"{cache_key}:recount"
    if cache.add(lock, True, RECOUNT_LOCK_SECONDS):
        try:
            count = counter()
            cache.set(cache_key, (count, time.time() + timeout), timeout * STALE_COUNT_LIFETIME)
        finally:
            cache.delete(lock)
        return count
    if entry is not None:
        return entry[0]  # another process is recounting: the old count is shown meanwhile
    deadline = time.monotonic() + RECOUNT_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_RECOUNT_POLL_SECONDS)
        readahead.forget([cache_key])  # (another process writes it: never the value read ahead)
        entry = _entry(cache.get(cache_key))
        if entry is not None:
            return entry[0]
    return counter()  # the recount is slow or its process died: count here rather than wait on


def _entry(value):
    """A cached count's (count, fresh until), or None for a missing or malformed entry."""
    if isinstance(value, tuple) and len(value) == 2:
        return value
    return None
