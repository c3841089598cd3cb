"""The layout's per-reader parts, from the cache (flasky_project.fragments): ``{% navbar %}`` in base.html,
``{% sidebar ... %}`` on the home and profile pages; and its parts that are the same for every reader of a
language, rendered once a process: ``{% footer %}`` in base.html, and the blank post and comment forms
(``{% post_form %}``, ``{% comment_form_fields %}``).

Each tag reads from the context what its template shows, makes it the fragment's key (the reader's id
first), and hands the template only that: whatever the template comes to read must be added to both, or
the fragment would not change when it does (tests/test_fragments.py holds each one to its changes)."""

import inspect
from functools import cache as memoize
from importlib.metadata import version

from django import template
from django.contrib.auth.models import AnonymousUser
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from accounts.roles import MODERATE
from flasky_project.fragments import _digest, _templates_digest, cached_fragment, kept, rendered_once

register = template.Library()

NAVBAR_TEMPLATES = ("_navbar.html", "_nav_link.html", "_theme_switch.html")
SIDEBAR_TEMPLATES = ("_sidebar.html", "blog/_who_to_follow.html")
FOOTER_TEMPLATES = ("_footer.html",)
POST_FORM_TEMPLATES = ("blog/_post_form.html", "blog/_post_form_fields.html")
COMMENT_FORM_TEMPLATES = ("blog/_comment_form_fields.html",)


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
        parts += [user.pk, user.username, *user.avatar_source(), user.is_staff, user.has_perm(MODERATE)]
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
        parts += ["person", person.pk, person.username, *person.avatar_source(), person.follower_count]
        parts.append(getattr(person, "mutual", ""))
    for talk in talks:
        parts += ["talk", talk.pk, talk.post.title, talk.post.author.username, talk.date.isoformat()]
    return cached_fragment("sidebar", SIDEBAR_TEMPLATES, parts, values, fills)


@register.simple_tag(takes_context=True)
def footer(context):
    """The site's footer (templates/_footer.html): its language switch, the same for every reader of a
    language but for the CSRF token and the address it comes back to, filled per request."""
    request = context.get("request")
    fills = {"here": request.get_full_path() if request is not None else ""}
    # (the languages come from a context processor: a page drawn without a request has none)
    languages = context.get("languages") or ()
    parts = [_csrf(context, fills), *(code for code, _name in languages)]
    return rendered_once("footer", FOOTER_TEMPLATES, {"languages": languages}, fills, parts)


@register.simple_tag(takes_context=True)
def post_form(context, form, preview=None, action="", submit_label=""):
    """The post editor (blog/_post_form.html). A new post's blank form (``form.blank``) is the same for
    every writer of a language but for the CSRF token and where it is sent: rendered once a process, those
    two filled per request. Any other form (sent back with errors, an edit, a preview) is drawn afresh."""
    if not getattr(form, "blank", False) or preview:
        values = {"form": form, "preview": preview, "action": action, "submit_label": submit_label}
        return get_template(POST_FORM_TEMPLATES[0]).render(
            {**values, "csrf_token": context.get("csrf_token")}
        )
    fills = {"action": action}
    parts = [_csrf(context, fills), _form_version(form, POST_FORM_TEMPLATES), submit_label]
    values = {"form": form, "preview": None, "submit_label": submit_label}
    return rendered_once("post_form", POST_FORM_TEMPLATES, values, fills, parts)


@register.simple_tag
def comment_form_fields(form):
    """The comment form's fields (blog/_comment_form_fields.html; the form tag and its CSRF token are the
    page's). A blank form is the same for every member of a language: rendered once a process."""
    if not getattr(form, "blank", False):
        return get_template(COMMENT_FORM_TEMPLATES[0]).render({"form": form})
    parts = [_form_version(form, COMMENT_FORM_TEMPLATES)]
    return rendered_once("comment_form_fields", COMMENT_FORM_TEMPLATES, {"form": form}, {}, parts)


def _form_version(form, templates):
    """What a blank form's HTML depends on besides the language: its class, the sources of its module and
    of ``templates``, the versions of the packages that draw its fields."""
    form_class = type(form)
    return f"{form_class.__module__}.{form_class.__qualname__}:{blank_form_version(form, *templates)}"


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


class OnceNode(template.Node):
    def __init__(self, nodelist, name, values, origin):
        self.nodelist, self.name, self.values = nodelist, name, values
        self.template_name = origin.template_name if origin is not None else None

    def render(self, context):
        # A template without a name (from_string) has no source to digest: the node itself stands for it
        # (held by the key, so that its id is never another node's while the entry lives).
        where = self
        if self.template_name:
            where = (self.template_name, _templates_digest((self.template_name,)))
        values = [str(value.resolve(context)) for value in self.values]
        # (the script prefix: the addresses inside are reversed under it)
        key = ("once", where, self.name, get_language(), get_script_prefix(), *values)
        return mark_safe(kept(key, lambda: self.nodelist.render(context)))  # noqa: S308 - our own template's


@register.tag
def once(parser, token):
    """``{% once "name" value ... %}…{% endonce %}``: a part of a template that is the same for every
    reader of a language and of the ``value``s (a theme, say), rendered once a process and kept in memory
    under those, the page's language and the template's source (flasky_project.fragments.kept). Only for
    what reads nothing else: static files' addresses, URLs without arguments, fixed words. base.html's
    links and scripts cost 0.4 ms of every page, eleven {% static %}."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% once %} needs a name.")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    # Two blocks of one template under one name would share one entry.
    names = parser.extra_data.setdefault("once-names", set())
    if name in names:
        raise template.TemplateSyntaxError(f"{{% once %}}: the name {name!r} is used twice in this template.")
    names.add(name)
    return OnceNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]], parser.origin)
