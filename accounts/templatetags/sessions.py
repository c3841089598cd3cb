"""The session list's words for a browser: "Firefox on Linux" rather than a User-Agent string."""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
BROWSERS = [
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|HeadlessChrome/"),
    ("Safari", r"Safari/"),
]
SYSTEMS = [
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
]


@register.filter
def browser(user_agent):
    """The browser and system a User-Agent names, or "Unknown browser"."""
    name = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent or "")), None)
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent or "")), None)
    if name and system:
        return _("%(browser)s on %(system)s") % {"browser": name, "system": system}
    return name or system or _("Unknown browser")
