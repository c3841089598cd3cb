"""Flasky's pages of a list: ``{"<key>": [...], "prev": <link or null>, "next": <link or null>, "count": n}``.

``?page=N`` counts from 1; a page that does not exist (0, -1, abc, past the end) is a 404, as on the site's
pages. Three queries whatever the page size or number: one COUNT (Flasky's ``count`` is the list's total;
cached for the table-sized lists), the page's keys, and its rows. The keys come first, over the ordering's
index, because an OFFSET on the full rows makes the database compute every annotation (a comment count,
say) for each row it skips: page 5,000 of a million posts took a second that way.
"""

from rest_framework.response import Response

from flasky_project.pagination import paginate


def page_response(request, queryset, serializer_class, *, key, per_page, path, prepare=None, count=None):
    """The requested page of ``queryset``; ``path`` is the list's own path, for the prev/next links.
    ``prepare(rows)`` may adjust the page's rows before they are serialized; ``count`` is the total when
    it is already known (the lists of every post or comment use a cached count)."""
    page = paginate(request, queryset.values_list("pk", flat=True), per_page, count=count)
    keys = list(page.object_list)
    rows = list(queryset.filter(pk__in=keys)) if keys else []
    if prepare is not None:
        prepare(rows)
    items = serializer_class(rows, many=True, context={"request": request}).data
    return Response(
        {
            key: items,
            "prev": f"{path}?page={page.previous_page_number()}" if page.has_previous() else None,
            "next": f"{path}?page={page.next_page_number()}" if page.has_next() else None,
            "count": page.paginator.count,
        }
    )
