"""The OpenAPI schema's parts that drf-spectacular cannot infer: the authentication schemes, the common
parameters and headers, and Flasky's error responses on every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from api.errors import ERROR_NAMES

PAGE = OpenApiParameter(
    "page",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="The page, from 1 (the default). A page that does not exist is a 404.",
)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="The absolute URL of the new resource.",
    response=[201],
)


UNKNOWN_KEYS = (
    "Other keys are refused with a 400 that names them, except the resource's own read-only keys "
    "(`url`, `body_html`, …), which are ignored: a client may send back what it received."
)
MAX_ID = 10**18 - 1  # api.urls matches ids of 1 to 18 digits


class BasicScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "Your email and password, or a token as the user name with an empty password.",
        }


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/v1/tokens/.",
        }


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "enum": sorted(set(ERROR_NAMES.values()))},
        "message": {"type": "string"},
    },
    "required": ["error", "message"],
}
ERROR_DESCRIPTIONS = {
    400: "Bad input: malformed JSON, an unknown field, a missing or over-long value.",
    401: "No credentials, or wrong ones (email, password or token).",
    403: "Unconfirmed account, or insufficient permissions.",
    404: "No such resource, or no such page.",
    413: "The request body is too large.",
    415: "The request body is not JSON.",
    429: "Too many requests: wait the number of seconds in Retry-After.",
}
ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "The Basic challenge."}},
    429: {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
}


def _error_statuses(path, operation):
    statuses = [401, 403, 429]
    if "{" in path or any(parameter.get("name") == "page" for parameter in operation.get("parameters", [])):
        statuses.append(404)
    if "requestBody" in operation:
        statuses += [400, 413, 415]
    if operation.get("security") == [{}]:
        statuses.remove(401)  # public
    return sorted(statuses)


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document Flasky's error body (and its headers) for every status an operation
    can answer, so that clients and the contract tests know every response's shape; and ids as integers
    (the URL patterns match them as digits)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
            for status in _error_statuses(path, operation):
                response = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                if status in ERROR_HEADERS:
                    response["headers"] = ERROR_HEADERS[status]
                operation["responses"].setdefault(str(status), response)
    return result
