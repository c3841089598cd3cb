"""Comment moderation: disabling and enabling comments, the moderators' page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import MODERATE
from blog import services
from blog.models import Comment
from flasky_project.errors import wants_json
from flasky_project.pagination import window
from flasky_project.redirects import redirect_back


@login_required
@permission_required(MODERATE, raise_exception=True)
def moderate(request):
    """Every published comment, newest first, with Disable / Enable buttons that come back here."""
    comments = Comment.objects.visible_to(request.user).published().with_people().newest_first()
    page = window(request, comments, settings.FLASKY_COMMENTS_PER_PAGE)
    return render(request, "blog/moderate.html", {"page": page})


@require_POST
@login_required
def disable_comment(request, pk):
    return _set_disabled(request, pk, True)


@require_POST
@login_required
def enable_comment(request, pk):
    return _set_disabled(request, pk, False)


def _set_disabled(request, pk, disabled):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("post"), pk=pk)
    try:
        services.set_disabled(comment, disabled, by=request.user)
    except services.ModerationRefused as refusal:
        raise PermissionDenied from refusal
    message = _("The comment has been disabled.") if disabled else _("The comment has been enabled.")
    if wants_json(request):
        return JsonResponse({"message": message, "disabled": disabled})
    messages.success(request, message)
    return redirect_back(request, comment)
