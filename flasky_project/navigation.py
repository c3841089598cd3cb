"""Which navbar item the current page belongs to, so the navbar can mark it (aria-current and a style).

Read from the resolved URL alone: no query. A section's own page is the "page"; a page inside the section
(a talk under Talks, your followers under Profile) is marked "true", as WAI-ARIA asks for a current item
that is not the page itself.
"""

# (namespace, url_name) -> (section, aria-current); a url_name of None stands for the whole namespace.
SECTIONS = {
    ("", "home"): ("home", "page"),
    ("talks", "list"): ("talks", "page"),
    ("talks", "moderate"): ("pending", "page"),
    ("talks", "moderate_all"): ("pending", "page"),
    ("talks", None): ("talks", "true"),
    ("schedule", "list"): ("schedule", "page"),
    ("schedule", None): ("schedule", "true"),
    ("blog", "moderate"): ("moderate", "page"),
    ("blog", "bookmarks"): ("bookmarks", "page"),
    ("moderation", "queue"): ("reports", "page"),
    ("accounts", "notifications"): ("notifications", "page"),
    ("accounts", "edit_profile"): ("edit_profile", "page"),
}
# Pages about one user: under Profile when the user is the reader.
OWN_PAGES = {("", "profile"): "page", ("social", "followers"): "true", ("social", "following"): "true"}


def current_section(request):
    """``{section: "page" | "true"}`` for the navbar item the request's page belongs to, or ``{}``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    key = (match.namespace, match.url_name)
    if key in OWN_PAGES:
        user = request.user
        own = user.is_authenticated and match.kwargs.get("username") == user.username
        return {"profile": OWN_PAGES[key]} if own else {}
    section = SECTIONS.get(key) or SECTIONS.get((match.namespace, None))
    return {section[0]: section[1]} if section else {}
