"""A post's or comment's Markdown as plain text, for the places that show a line of it rather than the post:
search snippets, the moderation queue, the admin's lists (a model's ``__str__``).

Not a Markdown parser: a snippet is a fragment cut anywhere (inside a link, halfway through emphasis), which
a parser would read as something else. Patterns take off what is Markdown's syntax and keep the words,
link texts and image descriptions; the search's highlight markers (control characters) pass through. The
result is text, escaped wherever it is shown. Each pattern is linear: no nested quantifiers."""

import re

_SUBSTITUTIONS = [
    (re.compile(r"^[ \t]*(```|~~~).*$", re.M), ""),  # code fences
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), ""),  # headings
    (re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M), ""),  # quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.M), ""),  # list items
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)?"), r"\1"),  # images: their description
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)?"), r"\1"),  # links (also one cut before its end)
    (re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M), ""),  # reference definitions
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(?<!\\)(\*{1,3}|_{1,3})(?=\S)([^\n]*?[^\s\\])\1(?!\w)"), r"\2"),  # emphasis, strong
    (re.compile(r"~~(?=\S)([^\n]*?\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`+"), ""),  # code spans keep their text
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
]
_SPACES = re.compile(r"\s+")


def markdown_to_text(text):
    """``text`` (Markdown, or a fragment of it) as one line of plain text."""
    for pattern, replacement in _SUBSTITUTIONS:
        text = pattern.sub(replacement, text or "")
    return _SPACES.sub(" ", text).strip()
