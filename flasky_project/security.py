"""The Content Security Policy: the site's pages load scripts, styles and fonts only from the site itself.

No inline scripts or inline style attributes exist in the templates (flasky_project/tests/test_templates.py
checks), so the policy needs no 'unsafe-inline'. Embeds of talks come only from the providers allowed in
CSP_FRAME_SOURCES; avatars may come from Gravatar. (The API documentation page needs nothing more: its
script and styles are files of the site.)
"""

from django.conf import settings


def build_policy():
    directives = settings.CONTENT_SECURITY_POLICY
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
