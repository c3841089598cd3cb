"""Keeping a suspended member on their notice page; showing a warned member the warning at their next page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from moderation.services import take_warnings

# Besides the notice page and logging out: files, the language switch, and the API (which answers a
# suspended member's calls with a 403 of its own, api.views.base).
SUSPENDED_ALLOWED_PREFIXES = ("/static/", "/media/", "/i18n/", "/api/", "/healthz")


class SanctionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # process_view runs only for URLs that resolved, so unknown URLs still answer 404.
        user = request.user
        if not user.is_authenticated:
            return None
        path = request.path_info
        if user.is_suspended:
            allowed = (reverse("moderation:suspended"), reverse("account_logout"))
            if path not in allowed and not path.startswith(SUSPENDED_ALLOWED_PREFIXES):
                return redirect("moderation:suspended")
            return None
        if not path.startswith(SUSPENDED_ALLOWED_PREFIXES):
            for warning in take_warnings(user):
                if warning.note:
                    text = _(
                        "A moderator has warned you: please keep to the site's rules. Their note: %(note)s"
                    )
                    text %= {"note": warning.note}
                else:
                    text = _("A moderator has warned you: please keep to the site's rules.")
                messages.warning(request, text)
        return None
