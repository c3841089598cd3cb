"""The colour theme: "light", "dark", or "auto" (follow the system's setting), chosen in the navbar.

The choice lives in a cookie that the server reads (so a page arrives in the chosen theme, with no flash of
the other one) and that static/js/theme.js writes (so a click switches at once, without a reload). The
cookie is readable by scripts on purpose: it holds a preference, nothing secret.
"""

THEME_COOKIE = "theme"
THEME_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
THEMES = ("auto", "light", "dark")


def theme_of(request):
    """The reader's choice; "auto" when they made none (or the cookie holds something else)."""
    value = request.COOKIES.get(THEME_COOKIE, "")
    return value if value in THEMES else "auto"
