"""The one Markdown pipeline: Markdown to HTML, then sanitised. Posts and comments store its output.

Raw HTML in the source is not HTML here: it is shown as the text it is. The generated HTML is then cleaned
with Flasky's allowed tags (a smaller set for comments), links keep only safe schemes and get
``rel="nofollow ugc noopener"``, and bare URLs become links. ``@username`` becomes a link to that member's
profile (``find_mentions`` says whom a text mentions), never inside code or a link; unknown names stay text.
"""

import functools
import re
import xml.etree.ElementTree as etree

import bleach
import markdown as markdown_lib
from django.db.models.functions import Lower
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from accounts.models import User
from accounts.validators import USERNAME_MAX_LENGTH

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


# "@name" where a username may be (letters, digits, dots, underscores, from a letter), not inside a word or
# an address ("ann@example.com"), nor after a backslash (as in "\@ann"), and without the dot
# that ends a sentence ("Thanks @ann.").
_MENTION = re.compile(r"(?<![\w@./\\-])@([A-Za-z](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")
_NOT_IN = frozenset({"a", "code", "pre"})


class _Mentions(Treeprocessor):
    """``@username`` of an active member becomes a link to their profile: the text outside code and links,
    after the inline patterns made them elements. One query for all the names of a text."""

    def run(self, root):
        spots = list(self._spots(root))
        names = {match.group(1).lower() for _node, _attr, text in spots for match in _MENTION.finditer(text)}
        names = {name for name in names if len(name) <= USERNAME_MAX_LENGTH}
        users = {}
        if names:
            found = User.objects.annotate(lower=Lower("username")).filter(lower__in=names, is_active=True)
            users = {user.username.lower(): user for user in found}
        self.md.mentioned = list(users.values())
        parents = {child: parent for parent in root.iter() for child in parent} if users else {}
        for node, attr, text in spots if users else ():
            self._link(node, attr, text, users, parents)

    def _spots(self, element):
        """(element, "text" or "tail", its text) for every text outside code and links, children first."""
        if element.tag in _NOT_IN:
            return
        if element.text and "@" in element.text:
            yield element, "text", element.text
        for child in list(element):
            yield from self._spots(child)
            if child.tail and "@" in child.tail:
                yield child, "tail", child.tail

    def _link(self, node, attr, text, users, parents):
        pieces, last = [], 0
        for match in _MENTION.finditer(text):
            user = users.get(match.group(1).lower())
            if user is not None:
                pieces.append((text[last : match.start()], user))
                last = match.end()
        if not pieces:
            return
        links = []
        for _before, user in pieces:
            link = etree.Element("a")
            link.set("href", user.get_absolute_url())
            link.text = f"@{user.username}"
            links.append(link)
        # The links go where the text was: after a "text" in the element, or after a "tail" in its parent.
        parent = node if attr == "text" else parents[node]
        index = 0 if attr == "text" else list(parent).index(node) + 1
        setattr(node, attr, pieces[0][0])
        for number, link in enumerate(links):
            link.tail = pieces[number + 1][0] if number + 1 < len(pieces) else text[last:]
            parent.insert(index + number, link)


def _markdown():
    converter = markdown_lib.Markdown(extensions=["fenced_code"], output_format="html")
    # Raw HTML blocks and inline tags are escaped and shown as text instead of passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.inlinePatterns.register(_BareUrl(_BareUrl.PATTERN, converter), "bare_url", 5)
    # After the inline patterns (20), which make code spans and links the elements it leaves alone.
    converter.treeprocessors.register(_Mentions(converter), "mentions", 15)
    converter.mentioned = []
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


def find_mentions(text):
    """The active members ``text`` mentions (``@username`` outside code and links), as render_markdown
    links them."""
    converter = _markdown()
    converter.convert(text or "")
    return converter.mentioned
