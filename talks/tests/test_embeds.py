"""Players for slides and videos: every accepted address form of every provider, and hostile addresses."""

import pytest

from talks.embeds import FRAME_SOURCES, SANDBOX, embed_for, link_url

YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE),
        ("http://youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&index=2", YOUTUBE),
        ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE),
        ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE),
        ("https://youtu.be/dQw4w9WgXcQ?si=abcDEF123", YOUTUBE),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube.com/live/dQw4w9WgXcQ?feature=shared", YOUTUBE),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube.com/v/dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", YOUTUBE),
        ("  HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ  ", YOUTUBE),
        ("https://www.youtube.com:443/watch?v=dQw4w9WgXcQ", YOUTUBE),
        ("https://youtu.be/dQw4w9WgXcQ?t=90", f"{YOUTUBE}?start=90"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", f"{YOUTUBE}?start=90"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", f"{YOUTUBE}?start=3723"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=42", f"{YOUTUBE}?start=42"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=soon", YOUTUBE),  # a start time that isn't one
    ],
)
def test_youtube_addresses(url, src):
    embed = embed_for(url)
    assert (embed.provider, embed.src, embed.aspect) == ("YouTube", src, "16x9")


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/76979871/8272103f6e",
            "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1",
        ),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/groups/motion/videos/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871?h=8272103f6e&badge=0",
            "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1",
        ),
    ],
)
def test_vimeo_addresses(url, src):
    embed = embed_for(url)
    assert (embed.provider, embed.src, embed.aspect) == ("Vimeo", src, "16x9")


@pytest.mark.parametrize(
    "url",
    [
        "https://speakerdeck.com/player/31f86a9e2cdd4ba5b3ae1b3c7fa4f7a9",
        "https://www.speakerdeck.com/player/31f86a9e2cdd4ba5b3ae1b3c7fa4f7a9",
        "https://speakerdeck.com/player/31f86a9e2cdd4ba5b3ae1b3c7fa4f7a9?slide=3",
    ],
)
def test_speakerdeck_player_addresses(url):
    embed = embed_for(url)
    assert embed.provider == "Speaker Deck"
    assert embed.src == "https://speakerdeck.com/player/31f86a9e2cdd4ba5b3ae1b3c7fa4f7a9"
    assert embed.aspect == "4x3"


@pytest.mark.parametrize(
    ("url", "src"),
    [
        (
            "https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456",
            "https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456",
        ),
        (
            "https://slideshare.net/slideshow/embed_code/key/AbCdEf123456?startSlide=2",
            "https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456",
        ),
        (
            "https://www.slideshare.net/slideshow/embed_code/34567890",
            "https://www.slideshare.net/slideshow/embed_code/34567890",
        ),
    ],
)
def test_slideshare_addresses(url, src):
    embed = embed_for(url)
    assert (embed.provider, embed.src, embed.aspect) == ("SlideShare", src, "4x3")


@pytest.mark.parametrize(
    "url",
    [
        # Page addresses that carry no player id: shown as links (see talks/embeds.py).
        "https://speakerdeck.com/miguelgrinberg/flask-by-example",
        "https://www.slideshare.net/someone/flask-by-example-12345",
        # Allowed hosts, but not a video or deck.
        "https://www.youtube.com/",
        "https://www.youtube.com/@PyCon",
        "https://www.youtube.com/playlist?list=PL123",
        "https://www.youtube.com/watch",
        "https://youtu.be/",
        "https://youtu.be/dQw4w9WgXcQ/extra",
        "https://vimeo.com/",
        "https://vimeo.com/about",
        "https://speakerdeck.com/player/",
        # Ids that do not match the provider's pattern.
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQX",
        "https://www.youtube.com/watch?v=dQw4w9WgX%22Q",
        "https://www.youtube.com/embed/dQw4w9WgXc%22",
        "https://www.youtube.com/embed/..%2F..%2Fevil",
        "https://vimeo.com/76979871/not-a-hash",
        "https://player.vimeo.com/video/76979871?h=NOT-A-HASH",
        "https://player.vimeo.com/video/abc",
        "https://speakerdeck.com/player/NOT-HEX-AT-ALL-NOT-HEX-AT-ALL-XX",
        "https://www.slideshare.net/slideshow/embed_code/key/bad-key!",
    ],
)
def test_addresses_without_a_player_are_links(url):
    assert embed_for(url) is None
    assert link_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        # Look-alike hosts.
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil-youtube.com/watch?v=dQw4w9WgXcQ",
        "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.co/watch?v=dQw4w9WgXcQ",
        "https://youtu.be.evil.example/dQw4w9WgXcQ",
        "https://vimeo.com.evil.example/76979871",
        "https://player.vimeo.com.evil.example/video/76979871",
        "https://speakerdeck.com.evil.example/player/31f86a9e2cdd4ba5b3ae1b3c7fa4f7a9",
        "https://evilslideshare.net/slideshow/embed_code/key/AbCdEf123456",
        "https://www.yоutube.com/watch?v=dQw4w9WgXcQ",  # a Cyrillic "о"
        "https://www.youtube.com./watch?v=dQw4w9WgXcQ",
        "https://%77ww.youtube.com/watch?v=dQw4w9WgXcQ",
        # Another host behind the allowed one.
        "https://evil.example/?https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evil.example/#https://youtu.be/dQw4w9WgXcQ",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        # Unusual ports.
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
    ],
)
def test_look_alike_hosts_are_links_never_players(url):
    assert embed_for(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        " javascript:alert(1)",
        "javascript://www.youtube.com/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "www.youtube.com/watch?v=dQw4w9WgXcQ",
        "/watch?v=dQw4w9WgXcQ",
        "https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com\\.evil.example/watch?v=dQw4w9WgXcQ",
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ" onload="alert(1)',
        "https://player.vimeo.com/video/76979871?h=<script>",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ'><script>alert(1)</script>",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n<script>alert(1)</script>",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\x00",
        "https://www.youtube.com/ watch?v=dQw4w9WgXcQ",
        "https://[::1/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
        "https://www.youtube.com/watch?v=" + "a" * 2100,
        "",
        "   ",
        None,
    ],
)
def test_hostile_addresses_are_neither_players_nor_links(url):
    assert embed_for(url) is None
    assert link_url(url) is None


def test_players_are_sandboxed_without_top_navigation_or_forms():
    embed = embed_for("https://youtu.be/dQw4w9WgXcQ")
    assert embed.sandbox == SANDBOX
    assert "allow-top-navigation" not in SANDBOX and "allow-forms" not in SANDBOX


def test_the_player_address_is_built_not_copied():
    # Whatever else the address carries never reaches the player's address.
    embed = embed_for("https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1&origin=https://evil.example")
    assert embed.src == YOUTUBE


def test_every_player_comes_from_an_origin_the_content_security_policy_frames(settings):
    framed = set(settings.CONTENT_SECURITY_POLICY["frame-src"])
    assert set(FRAME_SOURCES) <= framed
    for url in (
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        "https://speakerdeck.com/player/31f86a9e2cdd4ba5b3ae1b3c7fa4f7a9",
        "https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456",
    ):
        origin = "/".join(embed_for(url).src.split("/")[:3])
        assert origin in FRAME_SOURCES
