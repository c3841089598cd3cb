"""Social pages: the profile's follow block, following and unfollowing, the followers lists."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import FOLLOW
from flasky_project.errors import wants_json
from flasky_project.pagination import paginate
from flasky_project.redirects import redirect_back
from social import services
from social.models import Follow


@require_POST
@login_required
@permission_required(FOLLOW, raise_exception=True)
def follow(request, username):
    user = get_object_or_404(User, username=username)
    try:
        created = services.follow(follower=request.user, followed=user)
    except services.CannotFollowSelf as error:
        return _answer(request, user, error.message, level=messages.ERROR, status=400)
    if created:
        return _answer(request, user, _("You are now following %(username)s.") % {"username": user.username})
    return _answer(request, user, _("You are already following this user."), level=messages.INFO)


@require_POST
@login_required
@permission_required(FOLLOW, raise_exception=True)
def unfollow(request, username):
    user = get_object_or_404(User, username=username)
    try:
        ended = services.unfollow(follower=request.user, followed=user)
    except services.CannotFollowSelf as error:
        return _answer(request, user, error.message, level=messages.ERROR, status=400)
    if ended:
        return _answer(
            request, user, _("You are not following %(username)s anymore.") % {"username": user.username}
        )
    return _answer(request, user, _("You are not following this user."), level=messages.INFO)


def _answer(request, user, message, *, level=messages.SUCCESS, status=200):
    """JSON for the page's script (it updates the block in place), else a message and a redirect."""
    if wants_json(request):
        stats = Follow.objects.stats(user, request.user)
        return JsonResponse(
            {"message": str(message), "level": messages.DEFAULT_TAGS[level], **stats}, status=status
        )
    messages.add_message(request, level, message)
    return redirect_back(request, user)


def followers(request, username):
    user = get_object_or_404(User, username=username)
    page = paginate(request, Follow.objects.followers_of(user), settings.FLASKY_FOLLOWERS_PER_PAGE)
    rows = [(row.follower, row.created) for row in page]
    return _follow_list(request, user, page, rows, _("Followers of %(username)s"))


def following(request, username):
    user = get_object_or_404(User, username=username)
    page = paginate(request, Follow.objects.followed_by(user), settings.FLASKY_FOLLOWERS_PER_PAGE)
    rows = [(row.followed, row.created) for row in page]
    return _follow_list(request, user, page, rows, _("Followed by %(username)s"))


def _follow_list(request, user, page, rows, title):
    return render(
        request,
        "social/follow_list.html",
        {"profile_user": user, "page": page, "rows": rows, "title": title % {"username": user.username}},
    )
