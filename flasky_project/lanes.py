"""Two lanes through the middleware: a request to the API that brings its own credentials passes by the
layers that serve the site's pages and its session.

A request to the API's endpoints (under /api/v1/: not its schema and browsable docs) with an ``Authorization``
header of a scheme the API reads (Basic, Bearer: api.authentication) is answered for those credentials alone:
the API's authenticators either take them or answer 401, and only a request that sends none falls through to
the session (the site's own scripts). Its answer is therefore the same whatever session cookie came with it,
and the layers made ``pages_only`` here do nothing it needs: the session and its user, their language and time
zone, last seen, the gates of unconfirmed, suspended and staff accounts (the API checks its caller itself:
api.views.base, api.permissions), the login message, the messages, the read-ahead of the pages' navbar, and
the methods the site's pages take. Passed by, they cost nothing; run, they were about 0.15 ms of the 1.3 ms of
CPU a token's list of posts took (bench/middleware_layers.py).

Each is a subclass of the layer it wraps, so checks that look for a layer by class (the admin's) still
find it; the CSRF middleware and allauth's, which checks look up by name, are left as they are (the API's
views are exempt from CSRF, and allauth's does nothing for it either). Every other request, a page with
an Authorization header among them, goes through every layer.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.utils import timezone

from accounts import middleware as _accounts
from flasky_project import inputs as _inputs
from flasky_project import readahead as _readahead
from moderation import middleware as _moderation

API_PREFIX = "/api/v1/"
_SCHEMES = ("basic ", "bearer ")
_HOOKS = ("process_view", "process_exception", "process_template_response")


def brings_credentials(request):
    """Whether ``request`` is to the API and authenticates itself (see the module's docstring); worked out
    once a request."""
    found = request.__dict__.get("_flasky_api_caller")
    if found is None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        # (DRF's authenticators read the scheme as the header up to its first space, in any case)
        found = request.path_info.startswith(API_PREFIX) and header[:7].lower().startswith(_SCHEMES)
        request._flasky_api_caller = found
    return found


def pages_only(layer, passing=None):
    """``layer`` (a middleware class that keeps ``get_response``) as one that API requests bringing their
    own credentials pass by, hooks included; ``passing()`` is called when one does (to undo what the
    layer would have set for the request, left by the thread's last one)."""

    def __call__(self, request):
        if brings_credentials(request):
            if passing is not None:
                passing()
            return self.get_response(request)
        return layer.__call__(self, request)

    namespace = {"__call__": __call__, "__doc__": layer.__doc__, "__module__": __name__}
    for name in _HOOKS:
        if hasattr(layer, name):
            namespace[name] = _skipping(getattr(layer, name), name)
    return type(layer.__name__, (layer,), namespace)


def _skipping(hook, name):
    def skipping(self, request, *args):
        if not brings_credentials(request):
            return hook(self, request, *args)
        # (process_template_response answers the response, unchanged; the others None: nothing to say)
        return args[0] if name == "process_template_response" else None

    return skipping


SessionMiddleware = pages_only(_Session)
SiteMethodsMiddleware = pages_only(_inputs.SiteMethodsMiddleware)
AuthenticationMiddleware = pages_only(_Authentication)
# (the time zone it activates would otherwise be the thread's last page's: LocaleMiddleware sets the
# language for every request)
UserPreferencesMiddleware = pages_only(_accounts.UserPreferencesMiddleware, passing=timezone.deactivate)
ReadAheadMiddleware = pages_only(_readahead.ReadAheadMiddleware)
MessageMiddleware = pages_only(_Messages)
LoginMessageMiddleware = pages_only(_accounts.LoginMessageMiddleware)
LastSeenMiddleware = pages_only(_accounts.LastSeenMiddleware)
UnconfirmedGateMiddleware = pages_only(_accounts.UnconfirmedGateMiddleware)
SanctionMiddleware = pages_only(_moderation.SanctionMiddleware)
StaffTwoFactorMiddleware = pages_only(_accounts.StaffTwoFactorMiddleware)
