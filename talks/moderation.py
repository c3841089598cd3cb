"""Moderating the comments that wait for approval: approve or delete them in place (JSON for the page's
script) or with plain forms, and the queues of pending comments (the speaker's own; every one for moderators).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import MODERATE
from blog import services as blog_services
from blog.models import Comment
from flasky_project.errors import error_response, wants_json
from flasky_project.pagination import window
from flasky_project.redirects import redirect_back
from talks import services


@login_required
def queue(request):
    """Comments on the viewer's own talks that wait for approval, oldest first."""
    return _queue(
        request, Comment.objects.visible_to(request.user).pending().on_posts_by(request.user), "mine"
    )


@login_required
@permission_required(MODERATE, raise_exception=True)
def queue_all(request):
    return _queue(request, Comment.objects.visible_to(request.user).pending(), "all")


def _queue(request, comments, tab):
    page = window(request, comments.with_people().oldest_first(), settings.FLASKY_COMMENTS_PER_PAGE)
    return render(request, "talks/moderate.html", {"page": page, "tab": tab})


@require_POST
@login_required
def approve_comment(request, pk):
    return _moderate(
        request, pk, blog_services.approve_comment, _("The comment has been approved."), approved=True
    )


@require_POST
@login_required
def delete_comment(request, pk):
    return _moderate(
        request, pk, blog_services.delete_pending_comment, _("The comment has been deleted."), deleted=True
    )


def _moderate(request, pk, action, message, **state):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("post"), pk=pk)
    try:
        action(comment, by=request.user)
    except blog_services.ModerationRefused as refusal:
        return _refused(request, comment, refusal)
    return _answer(request, comment, message, **state)


def _answer(request, comment, message, **state):
    """JSON for the page's script (it updates the comment and the navbar's count in place), else a message
    and a redirect back."""
    if wants_json(request):
        pending = services.pending_for(request.user).count()
        return JsonResponse({"status": "ok", "message": message, "pending": pending, **state})
    messages.success(request, message)
    return _back(request, comment)


def _refused(request, comment, refusal):
    if wants_json(request) or refusal.status == 403:
        return error_response(request, refusal.status, refusal.message)
    messages.error(request, refusal.message)
    return _back(request, comment)


def _back(request, comment):
    return redirect_back(request, comment.post)
