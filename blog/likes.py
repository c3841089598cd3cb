"""Likes, bookmarks and a comment's own actions (reply, edit, delete): small POST views that answer JSON to
the page's script (static/js/likes.js) and redirect back without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import FOLLOW
from blog import listing, services
from blog.comments import comment_location
from blog.forms import CommentEditForm
from blog.models import Comment, Like, Post
from flasky_project.errors import error_response, wants_json
from flasky_project.pagination import window
from flasky_project.redirects import redirect_back

LIKERS_PER_PAGE = 50


def _visible_post(request, pk):
    """The post, read through the one visibility rule: what the viewer cannot see is a 404."""
    return get_object_or_404(Post.objects.visible_to(request.user), pk=pk)


def _visible_comment(request, pk):
    comments = Comment.objects.visible_to(request.user).published().filter(deleted=False)
    return get_object_or_404(comments.select_related("post", "post__author"), pk=pk)


def _may_like(request):
    if not request.user.has_perm(FOLLOW):
        raise PermissionDenied


@require_POST
@login_required
def like_post(request, pk):
    """POST likes the post; POST with ``undo`` takes the like back."""
    _may_like(request)
    post = _visible_post(request, pk)
    undo = "undo" in request.POST
    (services.unlike if undo else services.like)(user=request.user, post=post)
    if wants_json(request):
        return JsonResponse({"liked": not undo, "like_count": Like.objects.filter(post=post).count()})
    return redirect_back(request, post)


@require_POST
@login_required
def like_comment(request, pk):
    _may_like(request)
    comment = _visible_comment(request, pk)
    undo = "undo" in request.POST
    (services.unlike if undo else services.like)(user=request.user, comment=comment)
    if wants_json(request):
        return JsonResponse({"liked": not undo, "like_count": Like.objects.filter(comment=comment).count()})
    return redirect_back(request, comment.get_absolute_url())


@require_POST
@login_required
def bookmark_post(request, pk):
    """POST bookmarks the post (private to the viewer); POST with ``undo`` removes the bookmark."""
    post = _visible_post(request, pk)
    undo = "undo" in request.POST
    (services.unbookmark if undo else services.bookmark)(user=request.user, post=post)
    if wants_json(request):
        return JsonResponse({"bookmarked": not undo})
    return redirect_back(request, post)


@login_required
def bookmarks(request):
    """The viewer's bookmarked posts, newest bookmarked first."""
    posts = Post.objects.bookmarked_by(request.user)
    page = listing.post_page(request, posts, order_by=Post.BOOKMARK_ORDER)
    return render(request, "blog/bookmarks.html", {"page": page})


def post_likers(request, pk):
    """Who liked a post, newest first, 50 a page."""
    post = _visible_post(request, pk)
    return _likers(request, Like.objects.filter(post=post), post, post)


def comment_likers(request, pk):
    comment = _visible_comment(request, pk)
    return _likers(request, Like.objects.filter(comment=comment), comment.post, comment)


def _likers(request, likes, post, liked):
    page = window(request, likes.select_related("user").order_by("-created", "-pk"), LIKERS_PER_PAGE)
    return render(request, "blog/likers.html", {"page": page, "post": post, "liked": liked})


@login_required
def edit_comment(request, pk):
    """The author edits their comment, with a live preview."""
    comment = _visible_comment(request, pk)
    if not comment.can_edit(request.user):
        raise PermissionDenied
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.edit_comment(comment, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment has been updated."))
        return redirect(comment_location(request.user, comment))
    status = 400 if form.errors else 200
    return render(request, "blog/edit_comment.html", {"form": form, "comment": comment}, status=status)


@require_POST
@login_required
def delete_comment(request, pk):
    """The author, the post's author or a moderator deletes a comment."""
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).filter(deleted=False).select_related("post"), pk=pk
    )
    try:
        services.delete_comment(comment, by=request.user)
    except services.CommentActionRefused as refusal:
        return error_response(request, refusal.status, refusal.message)
    messages.success(request, _("The comment has been deleted."))
    return redirect_back(request, comment.post)
