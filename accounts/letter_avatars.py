"""Letter avatars: a member's initials on a coloured square, drawn here (SVG for pages, PNG for emails).

The default picture of everyone without an upload, so avatars work on an intranet and in a demo without
Gravatar (which an operator may turn on with FLASKY_GRAVATAR). Nothing personal goes into one: the letters
are the public username's, the colour comes from a hash of the account's id. Everything the picture shows
is in its address (``/avatar/JS/3.svg``), so the address changes with the username, the view needs no
query, and browsers may keep a picture for good.
"""

import functools
import hashlib
import io
import re

from PIL import Image, ImageDraw, ImageFont

# White text has a contrast of at least 5:1 on each (WCAG AA asks 4.5:1): see test_letter_avatars.py.
PALETTE = (
    "#0a58ca",
    "#520dc2",
    "#59359a",
    "#ab296a",
    "#b02a37",
    "#984c0c",
    "#664d03",
    "#146c43",
    "#0f7a5c",
    "#087990",
    "#495057",
    "#1e6a8a",
)
TEXT_COLOUR = "#ffffff"
LETTERS = re.compile(r"\A[A-Z0-9]{1,2}\Z")
PNG_SIZE = 128
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
    '<rect width="64" height="64" fill="{background}"/>'
    '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="{text}" font-size="{font_size}" '
    "font-weight=\"600\" font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    'sans-serif">{letters}</text></svg>'
)


def initials(username):
    """Up to two capitals from a username: the first letter of each of its first two parts ("john_smith"
    gives "JS", "reader" gives "R"). Usernames are ASCII letters, digits, "_" and "." and start with a
    letter; an unsaved user without one gets "U"."""
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", username or "") if part]
    return "".join(part[0] for part in parts[:2]).upper() or "U"


def colour_index(key):
    """A palette index for an account's id (or, before it has one, its username): stable, spread evenly."""
    digest = hashlib.sha256(str(key).encode()).digest()
    return int.from_bytes(digest[:4], "big") % len(PALETTE)


def svg(letters, colour):
    return _SVG.format(
        background=PALETTE[colour],
        text=TEXT_COLOUR,
        font_size=28 if len(letters) == 1 else 24,
        letters=letters,
    ).encode()


@functools.lru_cache(maxsize=256)
def png(letters, colour):
    """The same picture as a PNG of PNG_SIZE pixels, for email programs that show no SVG."""
    image = Image.new("RGB", (PNG_SIZE, PNG_SIZE), PALETTE[colour])
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=PNG_SIZE * (56 if len(letters) == 1 else 48) // 128)
    draw.text((PNG_SIZE / 2, PNG_SIZE / 2), letters, fill=TEXT_COLOUR, font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
