"""Comment moderation: disabling and enabling comments, the moderators' page, per-post unsubscribing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import open_to_unconfirmed
from accounts.roles import MODERATE
from blog.models import Comment, CommentSubscription
from blog.tasks import UNSUBSCRIBE_SALT
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
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not comment.can_moderate(request.user):
        raise PermissionDenied
    comment.set_disabled(disabled, by=request.user)
    message = _("The comment has been disabled.") if disabled else _("The comment has been enabled.")
    if wants_json(request):
        return JsonResponse({"message": message, "disabled": disabled})
    messages.success(request, message)
    return redirect_back(request, comment)


# The signed token in the address is the credential; CSRF-exempt so that mail programs can send the
# RFC 8058 one-click POST (see accounts.views.unsubscribe).
@open_to_unconfirmed
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = _subscription_from(token)
    if subscription is None:
        return render(request, "blog/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        CommentSubscription.objects.filter(pk=subscription.pk).update(active=False)
        return render(request, "blog/unsubscribe.html", {"done": True, "subscription": subscription})
    return render(request, "blog/unsubscribe.html", {"subscription": subscription, "token": token})


def _subscription_from(token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return CommentSubscription.objects.select_related("post", "user").get(pk=data["subscription"])
    except (signing.BadSignature, CommentSubscription.DoesNotExist, KeyError, TypeError, ValueError):
        return None
