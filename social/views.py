"""Social pages: the profile's follow block, following and unfollowing, the followers lists, blocking and
muting people (from a profile, with confirmation) and the settings page that lists and undoes them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.roles import FOLLOW
from flasky_project.errors import error_response, wants_json
from flasky_project.pagination import paginate
from flasky_project.redirects import redirect_back
from social import services
from social.forms import MutedWordForm, MuteForm
from social.models import Block, Follow, Mute, MutedWord


@require_POST
@login_required
@permission_required(FOLLOW, raise_exception=True)
def follow(request, username):
    user = get_object_or_404(User, username=username)
    try:
        created = services.follow(follower=request.user, followed=user)
    except services.CannotFollowSelf as error:
        return _answer(request, user, error.message, level=messages.ERROR, status=400)
    except services.FollowRefused as error:
        return _answer(request, user, error.message, level=messages.ERROR, status=403)
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
    empty = _("Nobody follows you yet.") if user == request.user else _("Nobody follows %(username)s yet.")
    return _follow_list(request, user, page, rows, _("Followers of %(username)s"), empty)


def following(request, username):
    user = get_object_or_404(User, username=username)
    page = paginate(request, Follow.objects.followed_by(user), settings.FLASKY_FOLLOWERS_PER_PAGE)
    rows = [(row.followed, row.created) for row in page]
    empty = (
        _("You do not follow anyone yet. Follow people to see their posts on your Followed timeline.")
        if user == request.user
        else _("%(username)s does not follow anyone yet.")
    )
    return _follow_list(request, user, page, rows, _("Followed by %(username)s"), empty)


def _follow_list(request, user, page, rows, title, empty):
    names = {"username": user.username}
    context = {
        "profile_user": user,
        "page": page,
        "rows": rows,
        "title": title % names,
        "empty": empty % names,
    }
    return render(request, "social/follow_list.html", context)


# --- Blocking and muting ---


def _other_user(request, username):
    """The user named in the address; 404 when there is none."""
    return get_object_or_404(User, username=username)


@login_required
@require_http_methods(["GET", "POST"])
def block(request, username):
    """GET asks for confirmation, POST blocks (and ends the follows both ways)."""
    user = _other_user(request, username)
    if request.method == "POST":
        try:
            services.block(blocker=request.user, blocked=user)
        except services.CannotBlockSelf as error:
            return _answer_relation(request, user, error.message, level=messages.ERROR, status=400)
        message = _("You have blocked %(username)s.") % {"username": user.username}
        return _answer_relation(request, user, message)
    return render(request, "social/confirm_block.html", {"profile_user": user})


@require_POST
@login_required
def unblock(request, username):
    user = _other_user(request, username)
    try:
        ended = services.unblock(blocker=request.user, blocked=user)
    except services.CannotBlockSelf as error:
        return _answer_relation(request, user, error.message, level=messages.ERROR, status=400)
    if ended:
        return _answer_relation(request, user, _("You unblocked %(username)s.") % {"username": user.username})
    return _answer_relation(request, user, _("You are not blocking this user."), level=messages.INFO)


@login_required
@require_http_methods(["GET", "POST"])
def mute(request, username):
    """GET asks for how long, POST mutes."""
    user = _other_user(request, username)
    form = MuteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mute(muter=request.user, muted=user, days=form.days())
        except services.CannotBlockSelf as error:
            return _answer_relation(request, user, error.message, level=messages.ERROR, status=400)
        message = _("You have muted %(username)s.") % {"username": user.username}
        return _answer_relation(request, user, message)
    status = 400 if form.is_bound else 200
    context = {"profile_user": user, "form": form}
    return render(request, "social/confirm_mute.html", context, status=status)


@require_POST
@login_required
def unmute(request, username):
    user = _other_user(request, username)
    try:
        ended = services.unmute(muter=request.user, muted=user)
    except services.CannotBlockSelf as error:
        return _answer_relation(request, user, error.message, level=messages.ERROR, status=400)
    if ended:
        return _answer_relation(request, user, _("You unmuted %(username)s.") % {"username": user.username})
    return _answer_relation(request, user, _("You are not muting this user."), level=messages.INFO)


def _answer_relation(request, user, message, *, level=messages.SUCCESS, status=200):
    """A message and a redirect back (to the settings page or the profile); a refusal is a 400 page."""
    if status >= 400:
        return error_response(request, status, message)
    messages.add_message(request, level, message)
    return redirect_back(request, user)


@login_required
def blocks_and_mutes(request):
    """Settings: the people the user blocks and mutes, and the words they mute, each with its undo."""
    return _render_settings(request, MutedWordForm())


@require_POST
@login_required
def add_muted_word(request):
    form = MutedWordForm(request.POST)
    if form.is_valid():
        try:
            word = services.mute_word(user=request.user, word=form.cleaned_data["word"])
        except ValidationError as error:
            form.add_error("word", error)
        else:
            messages.success(request, _("Posts with “%(word)s” will be folded.") % {"word": word.word})
            return redirect("social:blocks")
    return _render_settings(request, form, status=400)


@require_POST
@login_required
def remove_muted_word(request, pk):
    if services.unmute_word(user=request.user, pk=pk):
        messages.success(request, _("The word is not muted anymore."))
    return redirect("social:blocks")


def _render_settings(request, form, status=200):
    context = {
        "blocks": Block.objects.by(request.user),
        "mutes": Mute.objects.by(request.user),
        "words": MutedWord.objects.of(request.user),
        "form": form,
    }
    return render(request, "social/blocks_and_mutes.html", context, status=status)
