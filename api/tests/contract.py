"""Validating responses against the project's own OpenAPI schema (OpenAPI 3.0 → JSON Schema 2020-12)."""

import functools

import jsonschema
from drf_spectacular.generators import SchemaGenerator


@functools.cache
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(node):
    """OpenAPI 3.0's ``nullable: true`` is JSON Schema's "or null"; the rest carries over as it is."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def operation(path_template, method):
    return openapi()["paths"][path_template][method.lower()]


def assert_conforms(response, path_template, method):
    """The response's status is documented for the operation, with its headers, and its body matches."""
    responses = operation(path_template, method)["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method} {path_template} answered {status}, not in {sorted(responses)}"
    documented = responses[status]
    for header in documented.get("headers", {}):
        assert response.has_header(header), f"{method} {path_template} {status} lacks {header}"
    content = documented.get("content")
    if content is None:
        assert not response.content, f"{method} {path_template} {status} should have no body"
        return
    schema = {
        "components": _json_schema(openapi()["components"]),
        **_json_schema(content["application/json"]["schema"]),
    }
    jsonschema.Draft202012Validator(schema).validate(response.json())
