"""Static checks over the template tree that catch mistakes no single page test would."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INCLUDE_ONLY = re.compile(r'{%\s*include\s+"(?P<name>[^"]+)"(?P<args>[^%]*)\bonly\s*%}')


def test_partials_with_forms_get_the_csrf_token_when_included_in_isolation():
    # `{% include ... only %}` drops the request context, and with it the CSRF token the form needs.
    needs_token = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "{% csrf_token %}" in path.read_text()
    }
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        for match in INCLUDE_ONLY.finditer(path.read_text()):
            if match["name"] in needs_token and "csrf_token=csrf_token" not in match["args"]:
                missing.append(f"{path.relative_to(TEMPLATES)} includes {match['name']}")
    assert not missing, missing


def test_no_template_loads_anything_from_another_site():
    # Bootstrap and every other asset are served from static/: the site must work offline.
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', path.read_text())
    ]
    assert not offenders, offenders


def test_no_inline_scripts():
    # The Content Security Policy forbids inline scripts: behaviour lives in static/js.
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", path.read_text())
        or re.search(r"\son[a-z]+=\"", path.read_text())
    ]
    assert not offenders, offenders
