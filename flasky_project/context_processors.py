"""Template context every page gets."""

from django.conf import settings

from flasky_project.navigation import current_section
from flasky_project.theme import theme_of


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "languages": settings.LANGUAGES,
        "theme": theme_of(request),
        "nav_current": current_section(request),
    }
