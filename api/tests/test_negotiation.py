"""The Accept headers answered without parsing them (api.negotiation) get what the negotiation chose before:
DRF's, or the first renderer where DRF would answer 406."""

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from api.negotiation import JSONFallbackNegotiation
from api.renderers import JSONRenderer as FlaskyJSONRenderer


class YAMLRenderer(BaseRenderer):
    media_type = "application/yaml"
    format = "yaml"


def negotiated(request, renderers):
    """What JSONFallbackNegotiation answered before it answered some headers without parsing them."""
    try:
        return DefaultContentNegotiation().select_renderer(request, renderers)
    except NotAcceptable:
        return (renderers[0], renderers[0].media_type)


RENDERER_LISTS = [[FlaskyJSONRenderer()], [JSONRenderer(), YAMLRenderer()], [YAMLRenderer(), JSONRenderer()]]


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/json", " application/json "])
@pytest.mark.parametrize("renderers", RENDERER_LISTS, ids=["flasky", "json-first", "yaml-first"])
def test_the_common_headers_get_what_they_got(rf, accept, renderers):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(rf.get("/api/v1/posts/", **headers))
    ours = JSONFallbackNegotiation().select_renderer(request, renderers)
    assert ours == negotiated(request, renderers)


@pytest.mark.parametrize(
    ("accept", "query", "media_type"),
    [
        ("application/json; indent=4", "", "application/json; indent=4"),
        ("application/yaml", "", "application/yaml"),
        ("*/*", "?format=yaml", "application/yaml"),
        ("text/html", "", "application/json"),  # (nothing satisfies it: the first renderer, not a 406)
    ],
)
def test_other_headers_are_negotiated(rf, accept, query, media_type):
    request = Request(rf.get(f"/api/v1/posts/{query}", HTTP_ACCEPT=accept))
    renderer, chosen = JSONFallbackNegotiation().select_renderer(request, [JSONRenderer(), YAMLRenderer()])
    assert (renderer.media_type, chosen) == (media_type.split(";")[0], media_type)
