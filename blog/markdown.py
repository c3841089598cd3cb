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
from django.urls import reverse
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

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
    _add_hashtags(converter)
    return converter


# Tags: "#word" links to the tag's page. -----------------------------------------------------------------

TAG_MAX_LENGTH = 64
# A "#" that starts a word (not "C#", "page#part", "&#35;"), then letters, digits or underscores of any
# language; whether the word is a tag at all is is_tag_name's to say.
_HASHTAG = re.compile(r"(?<![\w&#/])#(\w+)")


def normalise_tag(name):
    """The stored form of a tag name: case-insensitive, so "#Django" and "#django" are one tag."""
    return name.casefold()


def is_tag_name(name):
    """Whether ``name`` (without its "#") may name a tag: letters, digits and underscores of any language,
    at most TAG_MAX_LENGTH of them once normalised, and not a bare number ("#1" is an issue, not a topic)."""
    return (
        bool(re.fullmatch(r"\w+", name or ""))
        and not re.fullmatch(r"\d+", name)
        and len(normalise_tag(name)) <= TAG_MAX_LENGTH
    )


def tag_url(name):
    return reverse("blog:tag", args=[normalise_tag(name)])


class _Heading(HashHeaderProcessor):
    """A "#" heading needs a space after its hashes (as in CommonMark), so "#django" opening a line is a tag,
    while "# Title" stays a heading."""

    RE = re.compile(
        r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"
    )


class _Hashtags(Treeprocessor):
    """Turns "#tag" in the text into a link to the tag's page, after the inline patterns have run, so the
    finished tree says what is code or a link already: nothing inside <a>, <code> or <pre> is touched (nor
    a URL's "#fragment", which is inside its link). Runs before the "unescape" step, so "\\#word" stays text.
    The names found are kept on the converter's ``hashtags`` (see find_tags)."""

    SKIP = frozenset({"a", "code", "pre"})

    def run(self, root):
        self.md.hashtags = []
        self._walk(root)

    def _walk(self, element):
        if element.tag in self.SKIP:
            return
        for child in list(element):
            self._walk(child)
            if child.tail:
                self._link(element, child.tail, after=child)
        if element.text:
            self._link(element, element.text, after=None)

    def _link(self, parent, text, *, after):
        pieces = _HASHTAG.split(text)  # text, name, text, name, ..., text
        if len(pieces) == 1 or not any(is_tag_name(name) for name in pieces[1::2]):
            return
        before = pieces[0]
        links = []
        for name, following in zip(pieces[1::2], pieces[2::2], strict=True):
            if not is_tag_name(name):
                if links:
                    links[-1].tail += f"#{name}{following}"
                else:
                    before += f"#{name}{following}"
                continue
            link = etree.Element("a")
            link.set("href", tag_url(name))
            link.text = markdown_lib.util.AtomicString(f"#{name}")
            link.tail = following
            links.append(link)
            self.md.hashtags.append(normalise_tag(name))
        if after is None:
            parent.text = before
            position = 0
        else:
            after.tail = before
            position = list(parent).index(after) + 1
        for offset, link in enumerate(links):
            parent.insert(position + offset, link)


def _add_hashtags(converter):
    converter.parser.blockprocessors.register(_Heading(converter.parser), "hashheader", 70)
    converter.treeprocessors.register(_Hashtags(converter), "hashtags", 5)


def find_tags(text):
    """The tags ``text`` (Markdown) links to, normalised, without repeats, in order of appearance: the same
    ones render_markdown links."""
    converter = _markdown()
    converter.convert(text or "")
    return list(dict.fromkeys(converter.hashtags))


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
