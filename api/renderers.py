"""The API's JSON renderer: DRF's, which also writes lists of items (and documents) already rendered to JSON
text.

A page of posts, or one post, is assembled from each post's JSON as the cache holds it (api.post_cache).
Parsing twenty cached texts back into dictionaries, only for the renderer to write them out again, cost
more than the rest of the page; here they are written as they are. They were rendered by this renderer's
own rules (``dumps``: compact separators, UTF-8 rather than escapes, U+2028 and U+2029 escaped), and
compact JSON written piecewise is the same text as written whole, so a response's bytes are the same
either way. A client that asks for indented JSON (``Accept: application/json; indent=4``) gets the items
parsed back and DRF's own output.
"""

import json

from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder


class RenderedList(list):
    """A list of items, each already JSON text (from ``dumps``)."""


class Rendered(str):
    """A whole document, already JSON text (from ``dumps``)."""


def dumps(data):
    """``data`` as JSONRenderer writes it without indentation (the API's settings: compact, UTF-8)."""
    text = json.dumps(
        data,
        cls=JSONEncoder,
        ensure_ascii=JSONRenderer.ensure_ascii,
        allow_nan=not JSONRenderer.strict,
        separators=(",", ":") if JSONRenderer.compact else (", ", ": "),
    )
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, Rendered):
            if self.get_indent(accepted_media_type, renderer_context or {}) is not None or not self.compact:
                return super().render(json.loads(data), accepted_media_type, renderer_context)
            return data.encode()
        if not (isinstance(data, dict) and any(isinstance(v, RenderedList) for v in data.values())):
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None or not self.compact:
            parsed = {
                key: [json.loads(item) for item in value] if isinstance(value, RenderedList) else value
                for key, value in data.items()
            }
            return super().render(parsed, accepted_media_type, renderer_context)
        parts = []
        for key, value in data.items():
            text = f"[{','.join(value)}]" if isinstance(value, RenderedList) else dumps(value)
            parts.append(f"{dumps(key)}:{text}")
        return ("{" + ",".join(parts) + "}").encode()
