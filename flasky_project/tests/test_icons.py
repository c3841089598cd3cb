"""The icon sprite holds every icon the templates name, and only a few: it is cut from Bootstrap Icons'
1.1 MB sprite (static/vendor/README.txt), and a missing symbol would draw nothing without any error."""

import re

from django.conf import settings

SPRITE = settings.BASE_DIR / "static/vendor/bootstrap-icons/icons.svg"


def used_icons():
    names = set()
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        names |= set(re.findall(r"\{\{ ?icons ?\}\}#([a-z0-9-]+)", template.read_text()))
    return names


def test_every_icon_a_template_names_is_in_the_sprite():
    symbols = set(re.findall(r'<symbol[^>]* id="([a-z0-9-]+)"', SPRITE.read_text()))
    assert used_icons(), "no template names an icon: the pattern above no longer matches"
    assert used_icons() <= symbols, f"missing from {SPRITE.name}: {sorted(used_icons() - symbols)}"


def test_the_sprite_stays_small():
    assert SPRITE.stat().st_size < 20_000
