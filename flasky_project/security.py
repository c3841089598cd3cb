"""The Content Security Policy: the site's pages load scripts, styles and fonts only from the site itself.

No inline scripts or inline style attributes exist in the templates (flasky_project/tests/test_templates.py
checks), so the policy needs no 'unsafe-inline'. Embeds of talks come only from the providers allowed in
CSP_FRAME_SOURCES; avatars may come from Gravatar. A view that needs more (an API documentation page, say)
can widen its own policy with the csp_extend decorator.
"""

from functools import wraps

from django.conf import settings


def build_policy(extra=None):
    directives = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    for name, sources in (extra or {}).items():
        directives.setdefault(name, []).extend(sources)
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            extra = getattr(response, "csp_extend", None)
            response["Content-Security-Policy"] = build_policy(extra) if extra else self.policy
        return response


def csp_extend(**directives):
    """Let one view's responses use more sources, e.g. @csp_extend(script_src=["'unsafe-inline'"])."""
    extra = {name.replace("_", "-"): sources for name, sources in directives.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            response = view(*args, **kwargs)
            response.csp_extend = extra
            return response

        return wrapped

    return decorator
