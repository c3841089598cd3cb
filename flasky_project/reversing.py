"""reverse() once a process for the addresses that differ only by an id (a post's, its like form's).

Django's reverse() matches the name's patterns against the arguments on every call: some 50 µs. A post card
drawn afresh (a cache miss: any deep page, any edited or liked post) reversed half a dozen of them. Here the
address is reversed once with a stand-in id that every id's pattern accepts, and each id is put in its place:
the same string reverse() builds, as an id is digits that need no quoting."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# An id that the <id:pk> converter accepts ([0-9]{1,19}, at most MAX_ID) and no address holds otherwise.
STAND_IN = 8_765_432_109_876_543_210
_STAND_IN = str(STAND_IN)


def reverse_id(name, pk, *, before=()):
    """``reverse(name, args=[*before, pk])`` for an address whose only variable part is the id ``pk``
    (``before``: fixed arguments, such as a report's "post")."""
    if pk is None:  # as reverse() would: an unsaved object has no address
        return reverse(name, args=[*before, pk])
    pattern = _pattern(name, tuple(before), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return pattern.replace(_STAND_IN, str(int(pk)))


@lru_cache(maxsize=512)
def _pattern(name, before, prefix, urlconf):
    """(the prefix is part of the key: reverse() reads it itself)"""
    url = reverse(name, args=[*before, STAND_IN], urlconf=urlconf)
    if url.count(_STAND_IN) != 1:
        raise ValueError(f"{name}: the id's place is not clear in {url}")
    return url
