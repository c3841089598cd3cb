"""The Talks tab of the search page: talks whose title or venue contain every word of the query.

It lives in talks (not blog/search.py) because it reads ``talks.Talk``, and blog never imports talks;
``/search/?type=talks`` (a blog view) sends the browser here, to ``/talks/search/``, and both pages share
the search form and the tab bar (``blog/_search_bar.html``).

The cost: each word is a case-insensitive ``LIKE '%word%'`` on the title and the venue, which no B-tree
index can seek, so the database reads every talk (joined to its post by primary key) once per search. Talks
are few next to posts (a talk is a post with a date and a place): at 5,000 talks that is a scan of 5,000
short rows, a few milliseconds; the keys of the page are then sorted (upcoming first), and only the page's
20 rows are read with their details. A site with hundreds of thousands of talks would add a trigram index
(``pg_trgm``) on both columns.
"""

from django.db.models import Case, F, Q, When
from django.utils import timezone

from blog.search import clean_query
from talks.models import Talk


def talks_matching(text, *, viewer, now=None):
    """The talks ``viewer`` may see whose title or venue contains every word of ``text`` (any case):
    upcoming ones first, soonest first, then past ones, most recent first. No words, no talks."""
    terms = clean_query(text)
    if not terms:
        return Talk.objects.none()
    now = now or timezone.now()
    matches = Q()
    for term in terms:
        matches &= Q(post__title__icontains=term) | Q(venue__icontains=term)
    upcoming_date = Case(When(date__gte=now, then=F("date")))  # NULL for past talks: one group
    return (
        Talk.objects.visible_to(viewer)
        .filter(matches)
        .order_by(
            Case(When(date__gte=now, then=0), default=1),
            upcoming_date.asc(),
            F("date").desc(),
            "-pk",
        )
    )
