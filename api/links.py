"""Paths of API resources as Flasky spells them: collections end with a slash, single resources don't.

The URL patterns accept both spellings (see api/urls.py); links in responses always use Flasky's. They are
paths relative to the host, as Flasky's were (``"http://localhost" + json["url"]`` is the resource)."""

from django.urls import reverse


def resource(name, *args):
    return reverse(f"api:{name}", args=args)


def collection(name, *args):
    # The pattern's optional slash reverses to nothing: add Flasky's.
    return reverse(f"api:{name}", args=args) + "/"
