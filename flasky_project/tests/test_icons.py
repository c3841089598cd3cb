"""The icon sprite holds every icon the templates name, and only a few: it is cut from Bootstrap Icons'
1.1 MB sprite (static/vendor/README.txt), and a missing symbol would draw nothing without any error."""

import re

import pytest
from django.conf import settings

from talks.tests.factories import TalkFactory

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


def test_no_template_uses_the_icon_font():
    """The icon font's stylesheet (87 KB, and a 134 KB font) is no longer served: an icon named by a font
    class (<i class="bi bi-geo-alt">) would show nothing."""
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r'class="[^"]*\bbi-[a-z0-9-]+', text), template
        assert "bootstrap-icons.min.css" not in text, template


@pytest.mark.django_db
def test_a_visitors_talks_page_draws_its_icons_from_the_sprite(client):
    talk = TalkFactory(
        venue_url="https://us.pycon.org/",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        slides_url="https://speakerdeck.com/miguelgrinberg/flask-by-example",
    )
    for url in ("/talks/", talk.post.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "bootstrap-icons.min.css" not in page
        drawn = re.findall(
            r'<svg class="bi" aria-hidden="true"><use href="[^"#]+icons\.svg#([a-z0-9-]+)">', page
        )
        assert {"calendar-event", "geo-alt"} <= set(drawn), url
        # Decorative: the words beside each icon say what it means.
        assert "Venue:" in page
