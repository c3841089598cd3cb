"""Helpers for account tests: links out of emails."""

import re
from urllib.parse import urlsplit

LINK = re.compile(r"https?://[^\s\"'<>]+")


def link_in(message, containing=""):
    """The path of the first link in an email's text body that contains ``containing``."""
    for url in LINK.findall(message.body):
        if containing in url:
            return urlsplit(url).path
    raise AssertionError(f"no link containing {containing!r} in:\n{message.body}")
