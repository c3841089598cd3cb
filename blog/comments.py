"""A post's comments as pages show them, and writing one from a page: shared by the blog's post page and the
talks app's talk page (a talk is a post: its comments are the post's)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import COMMENT, FOLLOW
from blog import services
from blog.forms import CommentForm
from blog.listing import mark_liked_comments
from blog.models import Comment
from flasky_project.errors import error_response
from flasky_project.pagination import MAX_PAGE_NUMBER, page_count, paginate
from social.services import is_blocked_between


def comments_page(request, post):
    """The comments on ``post`` that the viewer may see: 30 top-level comments a page, oldest first, each
    with its replies (``thread_replies``, oldest first); ?page=last (or Flasky's ?page=-1) is the last page.
    Three queries whatever the page holds: the page's comments, their replies, the viewer's likes; and the
    count of the top-level comments for the pager, unless the page is the last (see _read_page)."""
    comments = Comment.objects.visible_to(request.user).on(post)
    tops = comments.top_level().for_page()
    per_page = settings.FLASKY_COMMENTS_PER_PAGE
    number, count, rows = request.GET.get("page", "1"), None, None
    if number in ("last", "-1"):
        count = tops.count()
        number = page_count(count, per_page)
    else:
        rows, count = _read_page(tops, number, per_page)
    page = paginate(request, tops, per_page, number=number, count=count)
    page.object_list = rows[:per_page] if rows is not None else list(page.object_list)
    threads = {comment.pk: comment for comment in page.object_list}
    for comment in threads.values():
        comment.thread_replies = []
    replies = list(comments.replies_to(list(threads)).for_page()) if threads else []
    for reply in replies:
        threads[reply.in_reply_to_id].thread_replies.append(reply)
    _prepare(post, [*page.object_list, *replies], request.user)
    return page


def _read_page(tops, number, per_page):
    """(rows, count) for page ``number`` read with one row more than a page: when that row is missing, the
    page is the last and the count is known without counting (most posts have one page of comments, and
    counting cost a query as dear as the page's). ``count`` is None when it must still be counted; a page
    past the end gets a count that makes it the 404 it is. (None, None) for a number that is not a page's:
    paginate answers it as always."""
    if not (number.isascii() and number.isdigit() and 0 < int(number) <= MAX_PAGE_NUMBER):
        return None, None
    first = (int(number) - 1) * per_page
    rows = list(tops[first : first + per_page + 1])
    if len(rows) > per_page:
        return rows, None
    return rows, first + len(rows)


def _prepare(post, comments, user):
    """What each listed comment offers ``user``, without a query per comment: the post is known. The
    reader's permissions are asked once for the page (Comment.can_edit and can_delete, asked of each
    comment, would ask for them again each time), then each comment compares its author with the reader."""
    mark_liked_comments(comments, user)
    can_like = user.has_perm(FOLLOW)
    moderates = post.can_moderate_comments(user)
    reader = user.pk if user.is_authenticated else None
    for comment in comments:
        comment.post = post
        comment.viewer_can_like = can_like
        own = reader is not None and comment.author_id == reader
        comment.viewer_can_edit = own and not comment.deleted  # as Comment.can_edit
        comment.viewer_can_delete = own or moderates  # as Comment.can_delete


def refuse_post(request, permission, *, post=None):
    """A POST needs a logged-in user (else the login page) with ``permission`` (else a 403), and no block
    between them and ``post``'s author (a 403 that says so plainly): the refusal to answer with, or None if
    the user may."""
    if request.method != "POST":
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(permission):
        raise PermissionDenied
    if post is not None and is_blocked_between(request.user, post.author):
        return error_response(request, 403, services.COMMENT_REFUSED)
    return None


def comment_form(request):
    """An empty comment form for those who may comment, else None."""
    return CommentForm() if request.user.has_perm(COMMENT) else None


def submit_comment(request, post):
    """A member's comment sent from the post's page: (form, comment), the comment None when the form has
    errors (the caller shows the page again with them). The caller has checked refuse_post(request, COMMENT).
    """
    form = CommentForm(request.POST)
    if not form.is_valid():
        return form, None
    in_reply_to = None
    if reply_to := form.cleaned_data.get("in_reply_to"):
        in_reply_to = (
            Comment.objects.visible_to(request.user).select_related("author").filter(pk=reply_to).first()
        )
        if in_reply_to is None:
            raise Http404(_("There is no such comment."))
    try:
        comment = services.publish_comment(
            post=post,
            author=request.user,
            body=form.cleaned_data["body"],
            notify=form.cleaned_data["notify"],
            in_reply_to=in_reply_to,
        )
    except (services.PostingRefused, services.CommentActionRefused) as refusal:
        form.add_error(None, refusal.message)
        return form, None
    return form, comment


def comment_location(viewer, comment):
    """The address of a comment on its page of the post's comments (the last page, unless others commented
    meanwhile), as ``viewer`` sees them: a reply is on its thread's page."""
    post = comment.post
    top = comment.in_reply_to if comment.in_reply_to_id else comment
    tops = Comment.objects.visible_to(viewer).on(post).top_level()
    before = tops.filter(created__lte=top.created).count()
    number = page_count(before, settings.FLASKY_COMMENTS_PER_PAGE)
    return f"{post.get_absolute_url()}?page={number}#comment-{comment.pk}"
