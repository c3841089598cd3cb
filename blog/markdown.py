"""The one Markdown pipeline: Markdown to HTML, then sanitised. Posts and comments store its output.

Raw HTML in the source is not HTML here: it is shown as the text it is. The generated HTML is then cleaned
with Flasky's allowed tags (a smaller set for comments), links keep only safe schemes and get
``rel="nofollow ugc noopener"``, and bare URLs become links.
"""

import functools
import re
import xml.etree.ElementTree as etree

import bleach
import markdown as markdown_lib
from markdown.inlinepatterns import InlineProcessor

POST_TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "blockquote",
        "code",
        "em",
        "i",
        "li",
        "ol",
        "pre",
        "strong",
        "ul",
        "h1",
        "h2",
        "h3",
        "p",
    }
)
COMMENT_TAGS = frozenset({"a", "abbr", "acronym", "b", "code", "em", "i", "strong"})
PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
_CODE_CLASS = re.compile(r"\Alanguage-[A-Za-z0-9_+-]{1,40}\Z")


def _allowed_attribute(tag, name, value):
    if name == "title":
        return tag in {"a", "abbr", "acronym"}
    if tag == "a":
        return name in {"href", "rel"}
    # Fenced code blocks say their language ("language-python"), for highlighting.
    return tag == "code" and name == "class" and bool(_CODE_CLASS.match(value))


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


class _BareUrl(InlineProcessor):
    """A bare http(s) address becomes a link (never inside code, where Markdown runs no inline patterns)."""

    PATTERN = r"\bhttps?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]"

    def handleMatch(self, match, data):
        link = etree.Element("a")
        link.set("href", match.group(0))
        link.text = match.group(0)
        return link, match.start(0), match.end(0)


def _markdown():
    converter = markdown_lib.Markdown(extensions=["fenced_code"], output_format="html")
    # Raw HTML blocks and inline tags are escaped and shown as text instead of passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.inlinePatterns.register(_BareUrl(_BareUrl.PATTERN, converter), "bare_url", 5)
    return converter


@functools.cache
def _cleaner(allowed):
    return bleach.sanitizer.Cleaner(
        tags=allowed, attributes=_allowed_attribute, protocols=PROTOCOLS, strip=True, strip_comments=True
    )


# Only sets rel on the links that survived cleaning: it finds no new ones (Markdown made them already, and
# bleach's own finder would escape code blocks twice).
_rel_setter = bleach.linkifier.Linker(callbacks=[_set_rel], url_re=re.compile(r"(?!)"), parse_email=False)


def render_markdown(text, *, allowed=POST_TAGS):
    """Markdown source to safe HTML with only the ``allowed`` tags (POST_TAGS or COMMENT_TAGS)."""
    html = _markdown().convert(text or "")
    return _rel_setter.linkify(_cleaner(frozenset(allowed)).clean(html)).strip()
