"""Flasky's pages of a list: ``{"<key>": [...], "prev": <link or null>, "next": <link or null>, "count": n}``.

``?page=N`` counts from 1; a page that does not exist (0, -1, abc, past the end) is a 404, as on the site's
pages. Three queries whatever the page size or number: one COUNT (Flasky's ``count`` is the list's total;
cached for the table-sized lists), the page's keys, and its rows (flasky_project.pagination.window, as the
site's pages use). The page is cut by its keys, one more than the page to know whether a next page exists,
never by the count: a cached count can be a minute behind, and is only shown.
"""

from rest_framework.response import Response

from flasky_project.pagination import window


def page_response(
    request,
    queryset,
    serializer_class,
    *,
    key,
    per_page,
    path,
    prepare=None,
    count=None,
    rows=None,
    page=None,
):
    """The requested page of ``queryset``; ``path`` is the list's own path (and query), for the prev/next
    links.
    ``serializer_class`` is a serializer, or a function ``(rows, request)`` that returns the serialized rows
    (api.post_cache.serialized_posts: lists of posts, from the cache);
    ``prepare(rows)`` returns what to serialize for the page's rows (adjusted, or other objects);
    ``count`` is the total when it is already known (the lists of every post or comment use a cached
    count, which is only shown); ``rows(keys)`` fetches the page's rows by their keys (see
    flasky_project.pagination.window); ``page``, a Window of the page already read (then ``queryset`` is
    only counted, when ``count`` is not given)."""
    if page is None:
        page = window(request, queryset, per_page, rows=rows, with_total=False)  # the API counts its own way
    if count is None:
        count = queryset.count()
    else:
        # A cached count may lag behind: never show fewer than the items known to exist.
        known = (page.number - 1) * per_page + len(page) + (1 if page.has_next() else 0)
        count = max(count, known)
    rows = page.object_list if prepare is None else prepare(page.object_list)
    if isinstance(serializer_class, type):
        items = serializer_class(rows, many=True, context={"request": request}).data
    else:
        items = serializer_class(rows, request)
    path += "&" if "?" in path else "?"  # (a list with a query of its own: /api/v1/talks/?past=1)
    return Response(
        {
            key: items,
            "prev": f"{path}page={page.previous_page_number()}" if page.has_previous() else None,
            "next": f"{path}page={page.next_page_number()}" if page.has_next() else None,
            "count": count,
        }
    )
