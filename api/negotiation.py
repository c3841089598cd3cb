"""Content negotiation that answers JSON rather than 406: Flasky's API always answered JSON."""

from django.http import Http404
from rest_framework import exceptions, negotiation


class JSONFallbackNegotiation(negotiation.DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (exceptions.NotAcceptable, Http404):
            # An Accept header (or ?format=) that nothing here satisfies: the view's first renderer.
            return (renderers[0], renderers[0].media_type)
