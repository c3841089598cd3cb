"""The layout's per-reader parts, from the cache (flasky_project.fragments): ``{% navbar %}`` in base.html,
``{% sidebar ... %}`` on the home and profile pages.

Each tag reads from the context what its template shows, makes it the fragment's key (the reader's id
first), and hands the template only that: whatever the template comes to read must be added to both, or
the fragment would not change when it does (tests/test_fragments.py holds each one to its changes)."""

import inspect
from functools import cache as memoize
from importlib.metadata import version

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.timezone import get_current_timezone_name

from accounts.roles import MODERATE
from flasky_project.fragments import _digest, _templates_digest, cached_fragment

register = template.Library()

NAVBAR_TEMPLATES = ("_navbar.html", "_nav_link.html", "_theme_switch.html")
SIDEBAR_TEMPLATES = ("_sidebar.html", "blog/_who_to_follow.html")


def _csrf(context, fills):
    """Put the reader's CSRF token among the fills when the page has one (as {% csrf_token %} would draw
    it); returns the key's word for whether it had."""
    token = context.get("csrf_token")
    if token and token != "NOTPROVIDED":  # noqa: S105 - Django's word for no token
        fills["csrf_token"] = token
        return "csrf"
    return "no-csrf"


@register.simple_tag(takes_context=True)
def navbar(context):
    """The site's navbar (templates/_navbar.html) for this reader (a visitor's without a request: an error
    page drawn without one)."""
    request, user = context.get("request"), context.get("user") or AnonymousUser()
    values = {
        "user": user,
        "perms": context.get("perms"),
        "nav_current": context.get("nav_current") or {},
        "theme": context.get("theme", "auto"),
    }
    fills = {"here": "", "search_query": ""}
    if request is not None:
        fills = {"here": request.get_full_path(), "search_query": request.GET.get("q", "")}
    parts = [_csrf(context, fills), values["theme"], sorted(values["nav_current"].items())]
    if user.is_authenticated:
        parts += [user.pk, user.username, user.avatar_url(18), user.is_staff, user.has_perm(MODERATE)]
        if open_reports := context.get("open_reports"):
            values["open_reports"] = open_reports
            parts += ["reports", open_reports.count]
        if pending := context.get("pending_comments"):
            values["pending_comments"] = pending
            parts += ["pending", pending.count, pending.everyone]
        unread = context.get("unread_notifications")
        values["unread_notifications"] = unread
        parts += ["unread", unread]
    else:
        parts.append("visitor")
    return cached_fragment("navbar", NAVBAR_TEMPLATES, parts, values, fills)


@register.simple_tag(takes_context=True)
def sidebar(context, suggestions, can_follow, followed_tags, talks):
    """The sidebar of the home and profile pages (templates/_sidebar.html) for this reader: the people to
    follow (blog.suggestions), their tags, the talks coming up (in the reader's time zone)."""
    request, user = context["request"], context["user"]
    suggestions, followed_tags, talks = list(suggestions or ()), list(followed_tags or ()), list(talks or ())
    values = {
        "suggestions": suggestions,
        "can_follow": bool(can_follow),
        "followed_tags": followed_tags,
        "talks": talks,
        "authenticated": user.is_authenticated,
    }
    fills = {"next": request.get_full_path()}
    parts = [
        _csrf(context, fills),
        user.pk,
        values["can_follow"],
        get_current_timezone_name(),
        *followed_tags,
    ]
    for person in suggestions:
        parts += ["person", person.pk, person.username, person.avatar_url(32), person.follower_count]
        parts.append(getattr(person, "mutual", ""))
    for talk in talks:
        parts += ["talk", talk.pk, talk.post.title, talk.post.author.username, talk.date.isoformat()]
    return cached_fragment("sidebar", SIDEBAR_TEMPLATES, parts, values, fills)


@register.simple_tag
def blank_form_version(form, *templates):
    """What a blank form's cached fields depend on besides the language, for ``{% cache %}``'s key: the
    sources of ``templates`` (its own and the ones it includes), of the form's module, and the versions of
    the packages that draw its fields; so a deploy that changes any of them renders the form again."""
    return _digest([_templates_digest(tuple(templates)), _form_source_digest(type(form))])


@memoize
def _form_source_digest(form_class):
    return _digest(
        [inspect.getsource(inspect.getmodule(form_class))]
        + [version(package) for package in ("django", "django-crispy-forms", "crispy-bootstrap5")]
    )
