"""Slides and video players built from the address a speaker gave: the one place deciding what is embedded.

Only addresses of an allowlist of providers become players, and the player's address is never the one the
speaker typed: the address is parsed (http or https, no user name or password, a standard port, an exact host
from the allowlist), the video or deck id is extracted with a strict pattern, and the player address is built
from that id alone. Anything else is shown as a plain link; raw embed HTML is never accepted or stored.

Providers and the addresses they accept:

- YouTube: youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed|live|shorts|v/ID (www., m. and
  youtube-nocookie.com too), with ?t= or ?start= kept as the start time. Played from youtube-nocookie.com.
- Vimeo: vimeo.com/ID, vimeo.com/ID/HASH (unlisted), vimeo.com/channels/NAME/ID,
  vimeo.com/groups/NAME/videos/ID, player.vimeo.com/video/ID[?h=HASH]. Played with do-not-track on.
- Speaker Deck: speakerdeck.com/player/ID (the address in the deck's Share > Embed code). A deck's page
  address (speakerdeck.com/USER/SLUG) does not carry the id the player needs, and finding it would mean
  fetching the page from the server, so those addresses are shown as links.
- SlideShare: slideshare.net/slideshow/embed_code/key/KEY (Share > Embed) or the older
  slideshare.net/slideshow/embed_code/NUMBER. Page addresses (slideshare.net/USER/SLUG) are links, as above.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

# What the sandboxed frames may do: run the players' scripts in their own origin, go full screen and open
# the provider's site in a new window (which escapes the sandbox, so the provider's page works normally).
# Never allow-top-navigation: a player cannot take the reader away from the talk.
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox"
ALLOW = "fullscreen; picture-in-picture; encrypted-media"
# Players send their own origin as the referrer (YouTube refuses to play without one); the site's
# policy (same-origin) would send nothing.
REFERRER_POLICY = "strict-origin-when-cross-origin"
# Where the players come from: a Content-Security-Policy's frame-src must allow these.
FRAME_SOURCES = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://speakerdeck.com",
    "https://www.slideshare.net",
)

MAX_URL_LENGTH = 2048
# Whitespace, control characters, backslashes (browsers read them as slashes), quotes and angle brackets
# have no business in an address a speaker pastes; an address with any of them is not even a link.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\\"'<>`]")

YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
)
YOUTU_BE_HOSTS = frozenset({"youtu.be"})
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com"})
VIMEO_PLAYER_HOSTS = frozenset({"player.vimeo.com"})
SPEAKERDECK_HOSTS = frozenset({"speakerdeck.com", "www.speakerdeck.com"})
SLIDESHARE_HOSTS = frozenset({"slideshare.net", "www.slideshare.net"})

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATHS = frozenset({"embed", "live", "shorts", "v", "e"})
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
_VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
_SPEAKERDECK_ID = re.compile(r"[0-9a-f]{16,40}")
_SLIDESHARE_KEY = re.compile(r"[A-Za-z0-9]{6,32}")
_SLIDESHARE_NUMBER = re.compile(r"[0-9]{1,12}")
_START_TIME = re.compile(r"(?:(?P<h>[0-9]{1,2})h)?(?:(?P<m>[0-9]{1,4})m)?(?:(?P<s>[0-9]{1,6})s?)?")
MAX_START_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Embed:
    """A player to show in a sandboxed iframe: ``src`` is built here, from an id, never copied."""

    provider: str
    src: str
    aspect: str  # a Bootstrap ratio: "16x9" for videos, "4x3" for slides

    sandbox = SANDBOX
    allow = ALLOW
    referrer_policy = REFERRER_POLICY


@dataclass(frozen=True)
class _Address:
    host: str
    segments: tuple
    query: dict

    def param(self, name):
        values = self.query.get(name)
        return values[0] if values else None


def _parse(url):
    """The parts of an http(s) address worth looking at, or None for anything else."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # a bad port or a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if parts.username is not None or parts.password is not None or port not in (None, 80, 443):
        return None
    segments = tuple(segment for segment in parts.path.split("/") if segment)
    return _Address(host, segments, parse_qs(parts.query))


def link_url(url):
    """The address to show as a plain link (escaped by the template), or None if it is not a web page's."""
    return url.strip() if _parse(url) else None


def embed_for(url):
    """The player for an address from an allowed provider, or None (then show ``link_url``)."""
    address = _parse(url)
    if address is None:
        return None
    for provider in (_youtube, _vimeo, _speakerdeck, _slideshare):
        embed = provider(address)
        if embed is not None:
            return embed
    return None


def _youtube(address):
    if address.host in YOUTU_BE_HOSTS:
        video = address.segments[0] if len(address.segments) == 1 else None
    elif address.host in YOUTUBE_HOSTS:
        if address.segments == ("watch",):
            video = address.param("v")
        elif len(address.segments) == 2 and address.segments[0] in _YOUTUBE_PATHS:
            video = address.segments[1]
        else:
            video = None
    else:
        return None
    if not video or not _YOUTUBE_ID.fullmatch(video):
        return None
    start = _seconds(address.param("t") or address.param("start"))
    query = f"?{urlencode({'start': start})}" if start else ""
    return Embed("YouTube", f"https://www.youtube-nocookie.com/embed/{video}{query}", "16x9")


def _vimeo(address):
    segments, secret = address.segments, None
    if address.host in VIMEO_PLAYER_HOSTS:
        video = segments[1] if len(segments) == 2 and segments[0] == "video" else None
        secret = address.param("h")
    elif address.host in VIMEO_HOSTS:
        if len(segments) in (1, 2) and _VIMEO_ID.fullmatch(segments[0]):
            video = segments[0]
            secret = segments[1] if len(segments) == 2 else None
        elif len(segments) == 3 and segments[0] == "channels":
            video = segments[2]
        elif len(segments) == 4 and segments[0] == "groups" and segments[2] == "videos":
            video = segments[3]
        else:
            video = None
    else:
        return None
    if not video or not _VIMEO_ID.fullmatch(video):
        return None
    if secret is not None and not _VIMEO_HASH.fullmatch(secret):
        return None
    query = urlencode({"h": secret, "dnt": 1} if secret else {"dnt": 1})
    return Embed("Vimeo", f"https://player.vimeo.com/video/{video}?{query}", "16x9")


def _speakerdeck(address):
    if address.host not in SPEAKERDECK_HOSTS:
        return None
    segments = address.segments
    if len(segments) != 2 or segments[0] != "player" or not _SPEAKERDECK_ID.fullmatch(segments[1]):
        return None
    return Embed("Speaker Deck", f"https://speakerdeck.com/player/{segments[1]}", "4x3")


def _slideshare(address):
    if address.host not in SLIDESHARE_HOSTS:
        return None
    segments = address.segments
    if len(segments) == 4 and segments[:3] == ("slideshow", "embed_code", "key"):
        key = segments[3] if _SLIDESHARE_KEY.fullmatch(segments[3]) else None
        path = f"key/{key}"
    elif len(segments) == 3 and segments[:2] == ("slideshow", "embed_code"):
        key = segments[2] if _SLIDESHARE_NUMBER.fullmatch(segments[2]) else None
        path = key
    else:
        key = None
    if key is None:
        return None
    return Embed("SlideShare", f"https://www.slideshare.net/slideshow/embed_code/{path}", "4x3")


def _seconds(value):
    """A start time as YouTube writes it ("90", "90s", "1m30s", "1h2m3s") in whole seconds, or None."""
    match = _START_TIME.fullmatch(value or "")
    if not match or not any(match.groups()):
        return None
    seconds = int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)
    return seconds if 0 < seconds <= MAX_START_SECONDS else None
