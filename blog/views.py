"""Blog pages: the home timelines, a post with its comments, writing, editing and deleting.

The profile page, which lists a user's posts, belongs to the talks app (it lists their talks too)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import COMMENT, WRITE
from blog import composed, listing, ruled_rows, services, threads, translation
from blog.comments import comment_form, comment_location, comments_page, refuse_post, submit_comment
from blog.forms import PostForm, submitted_preview
from blog.markdown import COMMENT_TAGS, POST_TAGS, render_markdown
from blog.models import POST_BODY_MAX_LENGTH, FollowedTag, Post
from blog.search import MAX_QUERY_LENGTH, clean_query, people_matching, search_page
from blog.suggestions import who_to_follow
from flasky_project import shells
from flasky_project.errors import error_response, wants_json
from flasky_project.forms import form_data
from flasky_project.pagecache import cached_for_visitors
from flasky_project.pagination import page_number, window
from flasky_project.ratelimit import allow
from flasky_project.readahead import reads_ahead
from flasky_project.shells import kept_for_members, stand_in

TIMELINE_COOKIE = "show_followed"
TIMELINE_COOKIE_MAX_AGE = 30 * 24 * 60 * 60
# The home and profile pages' sidebar, as a kept page draws it for each reader (flasky_project.shells).
SIDEBAR = "{% sidebar suggestions perms.accounts.follow followed_tags upcoming_talks.talks %}"


def _home_varies(request):
    """What a member's home page depends on of them (flasky_project.shells): the timeline, whether they
    may write, the kind of list they read (blog.composed.shape) and the rule it is read through; on the
    Followed timeline, who they are (whom they follow). None: drawn for them each time."""
    kind = composed.reader_kind(request.user)
    if kind is None:
        return None
    followed = request.COOKIES.get(TIMELINE_COOKIE) == "1"
    return ("home", followed, request.user.pk if followed else None, kind)


def _search_varies(request):
    """What a member's search page depends on of them: the kind of reader they are (the results are the
    posts their rule lets them see)."""
    kind = composed.reader_kind(request.user)
    return None if kind is None else ("search", kind)


def sidebar_context(request):
    """What the sidebar of the home and profile pages reads (templates/_sidebar.html): the people to
    follow (one query, then the cache) and the reader's tags (the cache)."""
    return {
        "suggestions": who_to_follow(request.user),
        "followed_tags": services.followed_tag_names(request.user),
    }


@reads_ahead("sidebar")
@kept_for_members(_home_varies, parts={"sidebar": SIDEBAR}, context=sidebar_context)
@cached_for_visitors
def index(request):
    user = request.user
    if refusal := refuse_post(request, WRITE):
        return refusal
    form = PostForm(*form_data(request)) if user.has_perm(WRITE) else None
    preview = submitted_preview(request) if form is not None else None
    if form is not None and request.method == "POST" and preview is None and form.is_valid():
        try:
            data = form.cleaned_data
            services.publish_post(
                author=user, body=data["body"], title=data["title"], pictures=form.cleaned_pictures
            )
        except services.PostingRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your post has been published."))
            return redirect("home")
    show_followed = user.is_authenticated and request.COOKIES.get(TIMELINE_COOKIE) == "1"
    posts = Post.objects.followed_by(user) if show_followed else Post.objects.all()
    page = listing.post_page(request, posts, by_author=show_followed)
    context = {
        "form": form,
        "preview": preview,
        "page": page,
        "show_followed": show_followed,
        "reader_name": stand_in("name", user.username) if user.is_authenticated else "",
        "only_own": show_followed and _only_own(page, user),
        # The sidebar's (templates/_sidebar.html): one query for the suggestions, the tags from the cache.
        **sidebar_context(request),
    }
    return render(request, "blog/home.html", context, status=400 if form is not None and form.errors else 200)


def _only_own(page, user):
    """Whether a Followed timeline's first page shows nobody else's posts (empty, or the user follows
    nobody who posts): then it points to the people to follow. Read from the page, so it costs no query."""
    return page.number == 1 and all(post.author_id == user.pk for post in page.object_list)


@require_POST
@login_required
def set_timeline(request):
    """Remember in this browser, for 30 days, which timeline the home page shows."""
    response = redirect("home")
    response.set_cookie(
        TIMELINE_COOKIE,
        "1" if request.POST.get("show") == "followed" else "",
        max_age=TIMELINE_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


@require_POST
@login_required
def preview(request):
    """The live preview: the server renders with the same pipeline as publishing."""
    body = request.POST.get("body", "")
    if len(body) > POST_BODY_MAX_LENGTH:
        return JsonResponse({"error": "bad request", "message": _("The text is too long.")}, status=400)
    if not allow(request, "preview", limit=settings.FLASKY_PREVIEWS_PER_MINUTE, period=60):
        message = _("Too many previews at once. Please wait a minute.")
        response = JsonResponse({"error": "too many requests", "message": message}, status=429)
        response["Retry-After"] = "60"
        return response
    # A comment's preview shows what a comment may hold (inline Markdown only).
    allowed = COMMENT_TAGS if request.POST.get("kind") == "comment" else POST_TAGS
    return JsonResponse({"html": render_markdown(body, allowed=allowed)})


def _post_varies(request, pk):
    """What a member's view of a post depends on of them (flasky_project.shells): the kind of reader they
    are and whether they may comment; the post's author and a reader with a comment on it that others do
    not see are never shown the page kept for others (post_detail)."""
    kind = composed.reader_kind(request.user)
    return None if kind is None else ("post", kind, request.user.has_perm(COMMENT))


@kept_for_members(_post_varies)
@cached_for_visitors
def post_detail(request, pk):
    # Post.objects.visible_to(request.user).for_list(), with SQL compiled once per process (blog.ruled_rows)
    post = ruled_rows.visible_post(pk, request.user)
    if post is None:
        raise Http404("No Post matches the given query.")  # (as get_object_or_404 said; never shown)
    if post.is_talk:
        # The talk's page shows it and takes its comments; the query goes along (?page=last#comments).
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET", "HEAD"])
        query = request.META.get("QUERY_STRING", "")
        url = post.get_absolute_url()
        return redirect(f"{url}?{query}" if query else url)
    listing.decorate([post], request.user)
    if shells.keeping():
        # Their own post's page offers them its comments' moderation; their held or waiting comment is
        # theirs to see alone: neither is kept for others (blog.threads.fill_kept_comments draws it for them).
        shells.refuse_for(post.author_id)
        if threads.wrote_withheld(request.user.pk, post.pk):
            shells.refuse_for(request.user.pk)
    if request.method == "POST":
        if refusal := refuse_post(request, COMMENT, post=post):
            return refusal
        form, comment = submit_comment(request, post)
        if comment is None:
            return _render_post(request, post, form, status=400)
        messages.success(request, _("Your comment has been published."))
        return redirect(comment_location(request.user, comment))
    return _render_post(request, post, comment_form(request))


def _render_post(request, post, comment_form, status=200):
    page = comments_page(request, post)
    context = {
        "post": post,
        "page": page,
        "comment_form": comment_form,
        "can_moderate": post.can_moderate_comments(request.user),
        # A kept page with no comments for its drawer has no comments' filler to ask whether the reader
        # wrote one that others do not see: this asks (blog.threads.fill_post_guard; "" when not kept).
        "kept_guard": "" if page.object_list else shells.keep_slot("post-guard", post.pk, ""),
    }
    return render(request, "blog/post.html", context, status=status)


def _get_post_for_edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    if not post.can_edit(request.user):
        raise PermissionDenied
    return post


@login_required
def edit_post(request, pk):
    post = _get_post_for_edit(request, pk)
    if post.is_talk:
        return redirect(post.get_edit_url())  # its own editor keeps its details and rules
    form = PostForm(*form_data(request), instance=post)
    preview = submitted_preview(request)
    if request.method == "POST" and preview is None and form.is_valid():
        services.edit_post(
            post,
            body=form.cleaned_data["body"],
            title=form.cleaned_data["title"],
            pictures=form.cleaned_pictures,
            remove_pictures=form.pictures_to_remove,
        )
        messages.success(request, _("The post has been updated."))
        return redirect(post)
    return render(
        request,
        "blog/edit_post.html",
        {"form": form, "post": post, "preview": preview, "as_admin": post.author_id != request.user.pk},
        status=400 if form.errors else 200,
    )


@login_required
def delete_post(request, pk):
    """GET asks for confirmation; POST deletes."""
    post = _get_post_for_edit(request, pk)
    if request.method == "POST":
        services.delete_post(post)
        if post.author_id == request.user.pk:
            message = _("Your post has been deleted.")
        else:
            message = _("The post by %(username)s has been deleted.") % {"username": post.author.username}
        messages.success(request, message)
        return redirect("home")
    return render(request, "blog/delete_post.html", {"post": post})


@kept_for_members(_search_varies)
@cached_for_visitors
def search(request):
    """Ranked, stemmed full-text search of posts, 20 a page; any query gets an answer, never an error
    (a page number that is not one, or past the results, is a 404 as everywhere)."""
    query = request.GET.get("q", "").strip()
    if request.GET.get("type") == "talks":  # the Talks tab is the talks app's page (blog never reads talks)
        return redirect(f"{reverse('talks:search')}?{urlencode({'q': query})}")
    per_page = settings.FLASKY_POSTS_PER_PAGE
    people = request.GET.get("type") == "people"
    if people:  # the People tab: usernames and real names that start with the query
        page = window(request, people_matching(query), per_page)
    else:
        page = search_page(query, page_number(request), per_page, viewer=request.user)
        listing.decorate(page, request.user)
    context = {
        "query": query,
        "people": people,
        "tab": "people" if people else "posts",
        "searched": bool(query) if people else bool(clean_query(query)),
        "shortened": len(query) > MAX_QUERY_LENGTH,
        "max_query_length": MAX_QUERY_LENGTH,
        "page": page,
    }
    return render(request, "blog/search.html", context)


def _tag_or_404(name):
    """The tag ``name`` names (None when no post has it yet); a name that is not a word is a 404."""
    try:
        return services.tag_named(name)
    except services.BadTagName as error:
        raise Http404(_("That is not a tag.")) from error


@cached_for_visitors
def tag_page(request, name):
    """A tag's posts, newest first, with its feed and a Follow button."""
    tag = _tag_or_404(name)
    if services.normalise_tag(name) != name:  # one address per tag: /tags/Django/ is /tags/django/
        return redirect("blog:tag", name=services.normalise_tag(name), permanent=True)
    posts = Post.objects.tagged(tag) if tag is not None else Post.objects.none()
    page = listing.post_page(request, posts)
    following = (
        request.user.is_authenticated
        and tag is not None
        and FollowedTag.objects.filter(user=request.user, tag=tag).exists()
    )
    context = {"name": name, "page": page, "following": following}
    return render(request, "blog/tag.html", context)


@require_POST
@login_required
def follow_tag(request, name):
    """Follow (or, with ``action=unfollow``, stop following) a tag."""
    _tag_or_404(name)
    if request.POST.get("action") == "unfollow":
        services.unfollow_tag(user=request.user, name=name)
        messages.success(request, _("You no longer follow #%(name)s.") % {"name": name})
    else:
        services.follow_tag(user=request.user, name=name)
        messages.success(
            request, _("You now follow #%(name)s: its posts join your Followed timeline.") % {"name": name}
        )
    return redirect("blog:tag", name=services.normalise_tag(name))


TRANSLATIONS_PER_MINUTE = 20


@require_POST
def translate(request, pk):
    """The post in the reader's language: JSON for the page's script, or a page without JavaScript."""
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    target = get_language()
    if not translation.can_translate(post, target):
        return error_response(request, 400, _("This post cannot be translated into your language."))
    if not allow(request, "translate", limit=TRANSLATIONS_PER_MINUTE, period=60):
        return _translation_failed(
            request, post, _("Too many translations at once. Please wait a minute."), 429
        )
    try:
        html = translation.translate_post(post, target)
    except translation.TranslationTimeout:
        return _translation_failed(request, post, _("The translation service took too long to answer."), 504)
    except translation.TranslationError:
        return _translation_failed(
            request, post, _("Error: the translation service could not be reached."), 502
        )
    if wants_json(request):
        return JsonResponse({"html": html, "language": target})
    return render(request, "blog/translation.html", {"post": post, "html": html})


def _translation_failed(request, post, message, status):
    if wants_json(request):
        error = "too many requests" if status == 429 else "translation failed"
        return JsonResponse({"error": error, "message": message}, status=status)
    return render(request, "blog/translation.html", {"post": post, "error": message}, status=status)
