"""Talk pages: the lists of talks, a talk with its comments (guests' too), publishing and editing talks, and
the profile page (who the user is, their talks and their posts)."""

import functools

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.profile import profile_context
from accounts.roles import COMMENT, WRITE
from blog import composed, listing
from blog.comments import comment_form, comment_location, comments_page, refuse_post, submit_comment
from blog.forms import submitted_preview
from blog.models import Comment, Post, PostKind, ViewerFacts
from blog.ruled_rows import RuledRows
from blog.search import MAX_QUERY_LENGTH, clean_query
from blog.services import PostingRefused
from blog.views import SIDEBAR, sidebar_context
from flasky_project.forms import form_data
from flasky_project.pagecache import cached_for_visitors
from flasky_project.pagination import window
from flasky_project.ratelimit import allow
from flasky_project.readahead import reads_ahead
from flasky_project.shells import kept_for_members
from social.profile import follow_block, follow_block_for, follow_context
from talks import services
from talks.forms import GuestCommentForm, TalkForm
from talks.models import Talk
from talks.search import talks_matching

PROFILE_TALKS = 5


@functools.cache
def talk_page_partials():
    """Templates that apps above talks add to a talk's page (``talk_page_partials`` on their AppConfig),
    each given talk, is_upcoming, user and csrf_token: the schedule's "Add to my schedule", say."""
    return tuple(
        name for config in apps.get_app_configs() for name in getattr(config, "talk_page_partials", ())
    )


def _list_varies(request, *args, **kwargs):
    """What a member's list of talks depends on of them: the kind of reader they are (the talks their rule
    lets them see; whether they may write one): flasky_project.shells."""
    kind = composed.reader_kind(request.user)
    return None if kind is None else ("talks", kind)


@kept_for_members(_list_varies)
@cached_for_visitors
def talk_list(request):
    return _talk_list(request, Talk.objects.upcoming(), "upcoming")


@kept_for_members(_list_varies)
@cached_for_visitors
def past_talks(request):
    return _talk_list(request, Talk.objects.past(), "past")


@kept_for_members(_list_varies)
@cached_for_visitors
def speaker_talks(request, username):
    speaker = get_object_or_404(User, username=username)
    return _talk_list(request, Talk.objects.by(speaker).newest_first(), "speaker", speaker=speaker)


def _talk_list(request, talks, tab, speaker=None):
    """The talks the viewer may see, FLASKY_TALKS_PER_PAGE a page, never counted (past talks can be many)."""
    talks = talks.visible_to(request.user).for_list()
    page = window(request, talks, settings.FLASKY_TALKS_PER_PAGE)
    context = {"page": page, "tab": tab, "speaker": speaker}
    return render(request, "talks/list.html", context)


@cached_for_visitors
def search(request):
    """The Talks tab of the search page: talks whose title or venue hold the words, upcoming first."""
    query = request.GET.get("q", "").strip()
    talks = talks_matching(query, viewer=request.user).for_list()
    context = {
        "query": query,
        "tab": "talks",
        "searched": bool(clean_query(query)),
        "shortened": len(query) > MAX_QUERY_LENGTH,
        "max_query_length": MAX_QUERY_LENGTH,
        "page": window(request, talks, settings.FLASKY_POSTS_PER_PAGE),
    }
    return render(request, "talks/search.html", context)


@cached_for_visitors
def talk_detail(request, pk):
    posts = Post.objects.visible_to(request.user).for_list().filter(kind=PostKind.TALK, talk__isnull=False)
    post = get_object_or_404(posts, pk=pk)
    listing.decorate([post], request.user)
    if request.method == "POST":
        if request.user.is_authenticated:
            return _member_comment(request, post)
        return _guest_comment(request, post)
    return _render_talk(request, post)


def _render_talk(request, post, *, form=None, guest_form=None, status=200):
    user = request.user
    if guest_form is None and not user.is_authenticated:
        guest_form = GuestCommentForm()
    context = {
        "post": post,
        "talk": post.talk,
        "page": comments_page(request, post),
        "can_moderate": post.can_moderate_comments(user),
        "comment_form": form or comment_form(request),
        "guest_form": guest_form,
        "is_upcoming": post.talk.is_upcoming(),
        "talk_page_partials": talk_page_partials(),
    }
    return render(request, "talks/talk.html", context, status=status)


def _member_comment(request, post):
    if refusal := refuse_post(request, COMMENT, post=post):
        return refusal
    form, comment = submit_comment(request, post)
    if comment is None:
        return _render_talk(request, post, form=form, status=400)
    messages.success(request, _("Your comment has been published."))
    return redirect(comment_location(request.user, comment))


def _guest_comment(request, post):
    form = GuestCommentForm(request.POST)
    if not form.is_valid():
        return _render_talk(request, post, guest_form=form, status=400)
    # Per client address (REMOTE_ADDR, made the real client's by flasky_project.proxy), counted in the cache.
    if not allow(request, "guest_comment", limit=settings.FLASKY_GUEST_COMMENTS_PER_HOUR, period=60 * 60):
        form.add_error(None, _("Too many comments from your network. Please try again in an hour."))
        return _render_talk(request, post, guest_form=form, status=429)
    if not form.is_spam():  # robots that fill in the hidden field are told the same, and nothing is saved
        data = form.cleaned_data
        services.add_guest_comment(
            talk=post.talk, name=data["name"], email=data["email"], body=data["body"], notify=data["notify"]
        )
    messages.info(request, _("Your comment will be published after it is reviewed by the presenter."))
    return redirect(f"{post.get_absolute_url()}#comments")


@login_required
@permission_required(WRITE, raise_exception=True)
def new_talk(request):
    form = TalkForm(*form_data(request))
    if request.method == "POST" and submitted_preview(request) is None and form.is_valid():
        try:
            talk = services.publish_talk(author=request.user, **form.cleaned_data)
        except PostingRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The talk was added successfully."))
            return redirect(talk)
    return _render_talk_form(request, form, talk=None)


@login_required
def edit_talk(request, pk):
    talk = get_object_or_404(Talk.objects.select_related("post__author"), pk=pk)
    if not talk.post.can_edit(request.user):
        raise PermissionDenied
    form = TalkForm(*form_data(request), instance=talk)
    if request.method == "POST" and submitted_preview(request) is None and form.is_valid():
        services.edit_talk(talk, **form.cleaned_data)
        messages.success(request, _("The talk was updated successfully."))
        return redirect(talk)
    return _render_talk_form(request, form, talk=talk)


def _render_talk_form(request, form, *, talk):
    context = {
        "form": form,
        "talk": talk,
        "preview": submitted_preview(request),
        "as_admin": talk is not None and talk.post.author_id != request.user.pk,
    }
    return render(request, "talks/edit_talk.html", context, status=400 if form.errors else 200)


# The profile's talks and counts, each with SQL compiled once per process and reader (blog.ruled_rows):
# building and compiling the visibility rule for them was a third of a logged-in profile's CPU.
_profile_talks = RuledRows(
    lambda keys, viewer: Talk.objects.by(keys[0]).visible_to(viewer).newest_first().for_list()
)
_profile_posts = RuledRows(
    lambda keys, viewer: Post.objects.by(keys[0]).visible_to(viewer).order_by().values("pk")
)
_profile_comments = RuledRows(
    lambda keys, viewer: Comment.objects.by(keys[0]).visible_to(viewer).published().order_by().values("pk")
)


def _profile_varies(request, username):
    """What a member's view of a profile depends on of them (flasky_project.shells): the kind of reader
    they are, whether it is their own; the reader themselves when they block or mute anyone (the block's
    Unblock and Unmute are theirs). Their follow block is drawn for them on every request."""
    facts, kind = ViewerFacts.of(request.user), composed.reader_kind(request.user)
    if facts is None or kind is None:
        return None
    return ("profile", kind, request.user.username == username, request.user.pk if facts.unwanted else None)


def fill_follow_block(request, data, csrf_token, memo):
    """A kept profile's follow block for the request's reader (social.profile.follow_block_for), whose
    relation to the owner the session's facts may clear without a query (blog.models.ViewerFacts)."""
    unrelated = ViewerFacts.unrelated(request.user, data[0])
    return follow_block_for(request, data, csrf_token, unrelated=unrelated, memo=memo)


@reads_ahead("sidebar")
@kept_for_members(_profile_varies, parts={"sidebar": SIDEBAR}, context=sidebar_context)
@cached_for_visitors
def profile(request, username):
    """The profile page: who the user is (accounts), the follow block (social), their talks (here) and
    their posts (blog's list)."""
    profile_user = get_object_or_404(User, username=username)
    page = listing.post_page(request, Post.objects.by(profile_user))
    # One row more than shown says whether to link to all of them, without counting.
    viewer, key = request.user, [profile_user.pk]
    talks = _profile_talks.instances(key, viewer, Talk.objects.db, limit=PROFILE_TALKS + 1)
    follows = follow_context(
        request, profile_user, unrelated=ViewerFacts.unrelated(request.user, profile_user.pk)
    )
    context = {
        **profile_context(request, profile_user),
        **follows,
        "follow_block": follow_block(request, profile_user, {**follows, "csrf_token": get_token(request)}),
        "page": page,
        "talks": talks[:PROFILE_TALKS],
        "more_talks": len(talks) > PROFILE_TALKS,
        "post_count": _profile_posts.count(key, viewer, Post.objects.db),
        "comment_count": _profile_comments.count(key, viewer, Comment.objects.db),
        **sidebar_context(request),
    }
    return render(request, "talks/profile.html", context)
