"""What the site accepts as text from a client, checked once for every form and address before any view.

Django decodes form data forgivingly: raw bytes that are not UTF-8 fall back to Latin-1 ("ÿþý") and
percent-encoded ones become U+FFFD, and either would be stored as if the user had typed it. Here a form body
or query string that is not valid text in its declared charset is refused with a 400, and control characters
(which no keyboard types, and which the search highlighter uses as its own markers) are removed from every
value, so views, forms, the admin and the API (through api.parsers) all see the same clean text.
"""

import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import QueryDict
from django.utils.translation import gettext as _

from flasky_project.errors import error_response

# C0 controls except tab, line feed and carriage return; DEL; the C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT_CHARACTER = "\ufffd"
API_PREFIX = "/api/"


def strip_control_characters(text):
    """``text`` without control characters (tab, line feed and carriage return are kept)."""
    return CONTROL_CHARACTERS.sub("", text)


def is_valid_form_encoding(data, encoding):
    """Whether URL-encoded ``data`` (bytes) holds only text valid in ``encoding``, raw or percent-encoded."""
    for pair in data.split(b"&"):
        try:
            unquote_to_bytes(pair.replace(b"+", b" ")).decode(encoding)
        except (UnicodeDecodeError, LookupError):
            return False
    return True


def _clean_query_dict(query_dict, *, keep=lambda key: False):
    """A copy of ``query_dict`` with control characters stripped from keys and values (the same object
    when there were none); values of keys for which ``keep`` is true are left as they are."""
    texts = []
    for key, values in query_dict.lists():
        texts += [key] if keep(key) else [key, *values]
    if not any(CONTROL_CHARACTERS.search(text) for text in texts):
        return query_dict
    cleaned = QueryDict(mutable=True, encoding=query_dict.encoding)
    for key, values in query_dict.lists():
        cleaned.setlist(
            strip_control_characters(key),
            values if keep(key) else [strip_control_characters(value) for value in values],
        )
    cleaned._mutable = False
    return cleaned


def _is_password(key):
    # A password is compared as typed: stripping it here but not in the API's Basic auth would lock out
    # whoever chose one with a control character.
    return "password" in key


SITE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


def also_accepts(*methods):
    """Let a page's view take methods beyond GET and POST (it still says which with require_http_methods):
    a DELETE from the page's own script, say."""

    def decorate(view):
        view.extra_http_methods = methods
        return view

    return decorate


class SiteMethodsMiddleware:
    """The site's pages take GET and POST (HEAD and OPTIONS come with them): any other method is a 405
    before a view can mistake it for a GET, unless the view says it takes it (``also_accepts``). The API
    (PUT, DELETE) answers for itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = (*SITE_METHODS, *getattr(view_func, "extra_http_methods", ()))
        if request.method in allowed or request.path_info.startswith(API_PREFIX):
            return None
        response = error_response(request, 405)
        response["Allow"] = ", ".join(allowed)
        return response


class TextInputMiddleware:
    """Refuse (400) form bodies and query strings that are not valid text, and strip control characters
    from the rest. API bodies are JSON, checked by the API's own parser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        encoding = request.encoding or settings.DEFAULT_CHARSET
        query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
        if query:  # (most pages have none: nothing to check, and GET is left to parse when read)
            if not is_valid_form_encoding(query, encoding):
                return self._refuse(request, _("The address contains characters that are not valid text."))
            request.GET = _clean_query_dict(request.GET)
        if request.method == "POST" and not request.path_info.startswith(API_PREFIX):
            if not self._form_is_valid_text(request, encoding):
                return self._refuse(
                    request,
                    _(
                        "The form contained characters that are not valid text, so nothing was saved. "
                        "Please check what you entered and try again."
                    ),
                )
            request.POST = _clean_query_dict(request.POST, keep=_is_password)
        return self.get_response(request)

    @staticmethod
    def _form_is_valid_text(request, encoding):
        if request.content_type == "application/x-www-form-urlencoded":
            # Django reads these only as UTF-8 (another declared charset is its own 400).
            return is_valid_form_encoding(request.body, "utf-8")
        if request.content_type == "multipart/form-data":
            # Django's multipart parser has already replaced undecodable bytes with U+FFFD (and streams the
            # files, so the raw body is gone): a replacement character is the mark of invalid text.
            texts = [upload.name or "" for upload in request.FILES.values()]
            for key, values in request.POST.lists():
                texts += [key, *values]
            return not any(REPLACEMENT_CHARACTER in text for text in texts)
        return True

    @staticmethod
    def _refuse(request, message):
        return error_response(request, 400, message)


class InvalidFormStatusMiddleware:
    """A form page sent back with errors is a 400, as the site's own views answer: this does it for the
    views that return a TemplateResponse with a ``form`` (allauth's signup, login, reset and the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        form = (response.context_data or {}).get("form")
        if (
            request.method == "POST"
            and response.status_code == 200
            and getattr(form, "is_bound", False)
            and form.errors
        ):
            response.status_code = 400
        return response
