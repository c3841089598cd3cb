"""A post's comments as pages show them, and writing one from a page: shared by the blog's post page and the
talks app's talk page (a talk is a post: its comments are the post's)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import COMMENT, FOLLOW
from blog import ruled_rows, services
from blog.forms import CommentForm
from blog.models import Comment
from flasky_project.errors import error_response
from flasky_project.pagination import page_count, page_number, paginate
from social.services import is_blocked_between


def comments_page(request, post):
    """The comments on ``post`` that the viewer may see: 30 top-level comments a page, oldest first, each
    with its replies (``thread_replies``, oldest first); ?page=last (or Flasky's ?page=-1) is the last page.
    Two queries whatever the page holds, each with SQL compiled once per process (blog.ruled_rows): the
    page's comments and their replies, each with its like count and whether the viewer liked it; and the
    count of the top-level comments for the pager, unless the page is the last (see _read_page)."""
    viewer = request.user
    per_page = settings.FLASKY_COMMENTS_PER_PAGE
    rows = None
    if request.GET.get("page") in ("last", "-1"):
        count = _count(post, viewer)
        number = page_count(count, per_page)
    else:
        number = page_number(request)  # (anything but a page's number is a 404)
        rows, count = _read_page(post, viewer, number, per_page)
    page = paginate(request, (), per_page, number=number, count=count)
    if rows is None:
        first = (page.number - 1) * per_page
        rows = ruled_rows.top_level_comments(post, viewer, offset=first, limit=per_page)
    page.object_list = rows[:per_page]
    threads = {comment.pk: comment for comment in page.object_list}
    for comment in threads.values():
        comment.thread_replies = []
    replies = ruled_rows.replies(post, viewer, page.object_list)
    for reply in replies:
        threads[reply.in_reply_to_id].thread_replies.append(reply)
    _prepare(post, [*page.object_list, *replies], viewer)
    return page


def _read_page(post, viewer, number, per_page):
    """(rows, count) for page ``number`` read with one row more than a page: when that row is missing, the
    page is the last and the count is known without counting (most posts have one page of comments, and
    counting cost a query as dear as the page's); else the count is counted. A page past the end gets a
    count that makes it the 404 it is."""
    first = (number - 1) * per_page
    rows = ruled_rows.top_level_comments(post, viewer, offset=first, limit=per_page + 1)
    if len(rows) > per_page:
        return rows, _count(post, viewer)
    return rows, first + len(rows)


def _count(post, viewer):
    return Comment.objects.visible_to(viewer).on(post).top_level().count()


def _prepare(post, comments, user):
    """What each listed comment offers ``user``, without a query per comment: the post is known, and whether
    the reader liked each comment was read with it. The reader's permissions are asked once for the page
    (Comment.can_edit and can_delete, asked of each comment, would ask for them again each time), then each
    comment compares its author with the reader."""
    can_like = user.has_perm(FOLLOW)
    moderates = post.can_moderate_comments(user)
    reader = user.pk if user.is_authenticated else None
    for comment in comments:
        comment.post = post
        comment.viewer_moderates = moderates  # (the reader's kind's: blog.threads keeps it for a kept page)
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
