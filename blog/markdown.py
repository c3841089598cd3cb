"""The one Markdown pipeline: Markdown to HTML, then sanitised. Posts and comments store its output.

Raw HTML in the source is not HTML here: it is shown as the text it is. The generated HTML is then cleaned
with Flasky's allowed tags (a smaller set for comments), links keep only safe schemes and get
``rel="nofollow ugc noopener"``, and bare URLs become links. ``@username`` becomes a link to that member's
profile (``find_mentions`` says whom a text mentions), never inside code or a link; unknown names stay text.
Headings move down a level (``#`` is an h2),
so the page's own title stays its only h1.

Rendering takes time linear in the text for every input (defect 10). Python-Markdown and html5lib (inside
bleach) each have quadratic corners, guarded here:

* every ``[`` made the link, image and reference patterns scan to its matching ``]``, to the end of the
  text when there was none, and every ``](`` made the link pattern scan to its matching ``)``: brackets are
  matched once per text (``_Brackets``), and a link's destination and title may span at most
  MAX_LINK_TARGET characters, within a budget of characters scanned per text (LINK_BUDGET);
* nested emphasis made the inline pass copy the list of ancestors for each element: emphasis nests at
  most MAX_EMPHASIS_DEPTH deep;
* html5lib walks the open elements on every character and finds a node's index among all its siblings:
  the tree Markdown builds is cut at MAX_DEPTH levels (deeper elements become their text), and bleach walks
  it with the sibling index remembered (``_Walker``);
* runs of backticks were matched character by character to the end of the text, and each run that never
  closed searched the rest again: regular expressions, and the runs indexed once per text (``_Runs``);
* nested lists and quotes recurse in Python-Markdown's block parser: a line opens at most MAX_NESTING
  containers, and indentation counts up to MAX_NESTING levels;
* the block parser takes lines off the front of a block and searches the rest again (setext headings,
  rules), and every unclosed code fence was searched to the end: first matches and closing fences are
  remembered (``_FirstMatch``, ``_Fences``).
"""

import bisect
import functools
import html as html_lib
import re
import secrets
import xml.etree.ElementTree as etree

import bleach
import markdown as markdown_lib
from bleach import html5lib_shim
from django.db.models.functions import Lower
from django.urls import reverse
from markdown import blockprocessors, inlinepatterns
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from accounts.models import User
from accounts.validators import USERNAME_MAX_LENGTH
from blog import highlight

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
        "span",
        "strong",
        "ul",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
    }
)
COMMENT_TAGS = frozenset({"a", "abbr", "acronym", "b", "code", "em", "i", "strong"})
PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
_CODE_CLASS = re.compile(r"\Alanguage-[A-Za-z0-9_+-]{1,40}\Z")
MAX_NESTING = 16  # lists and quotes inside one another
MAX_DEPTH = 32  # elements inside one another in the HTML (a list 16 deep is 33 with its items: cut text)
MAX_LINK_TARGET = 2048  # characters of a link's "(destination "title")"
LINK_BUDGET = 20_000  # characters the link patterns may scan for targets, plus 2 per character of text
MAX_EMPHASIS_DEPTH = 16
_TAB_LENGTH = 4
_HEADINGS = {f"h{level}": f"h{min(level + 1, 6)}" for level in range(1, 7)}


def _allowed_attribute(tag, name, value):
    if name == "title":
        return tag in {"a", "abbr", "acronym"}
    if tag == "a":
        return name in {"href", "rel"}
    if name != "class":
        return False
    # Fenced code blocks say their language ("language-python"); highlighted ones are a
    # <pre class="highlight"> of <span>s with Pygments' token classes, and no other class gets through.
    if tag == "code":
        return bool(_CODE_CLASS.match(value))
    if tag == "pre":
        return value == "highlight"
    return tag == "span" and value in highlight.TOKEN_CLASSES


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


class _Brackets:
    """Where each ``[`` of one text closes, found by one pass over the text.

    Python-Markdown's ``getText`` counts brackets from each ``[`` onwards, so a text of n unclosed ``[``
    costs n²/2 steps. Whether a ``[`` closes, and where, depends only on the text after it, and the inline
    processor replaces text (a link by its placeholder) only at or before the position it has reached: so
    matches are kept by their distance from the end of the text, and stay right in the part of the text
    after the last replacement. Each character is looked at about once."""

    def __init__(self):
        self.text, self.closing = "", {}  # distance from the end of a "[": that of its "]" (None: never)
        self.generation, self.floor = 0, 0  # older entries hold for distances up to the floor

    def close_of(self, data, start):
        """The index of the ``]`` that closes the ``[`` just before ``start``, or None."""
        self._follow(data)
        key = len(data) - start + 1
        if not self._known(key):
            self._scan(data, start - 1)
        end = self.closing[key][0]
        return None if end is None else len(data) - end

    def _known(self, key):
        entry = self.closing.get(key)
        return entry is not None and (entry[1] == self.generation or key <= self.floor)

    def _follow(self, data):
        if data is self.text:
            return
        same = _common_suffix(data, self.text)
        if same:  # the same text, changed in front of its last ``same`` characters
            self.floor = min(self.floor, same)
        else:  # another text altogether
            self.closing, self.floor = {}, len(data)
        self.generation += 1
        self.text = data

    def _scan(self, data, position):
        size, open_ = len(data), [position]
        index = position + 1
        while open_ and index < size:
            char = data[index]
            if char == "[":
                if self._known(size - index):
                    end = self.closing[size - index][0]
                    if end is None:
                        break  # never closes: nor does anything opened before it
                    index = size - end + 1
                    continue
                open_.append(index)
            elif char == "]":
                self.closing[size - open_.pop()] = (size - index, self.generation)
            index += 1
        for unclosed in open_:
            self.closing[size - unclosed] = (None, self.generation)


def _common_suffix(first, second):
    """The length of the longest common ending of two strings (by halves: string comparisons run in C)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[len(first) - middle :] == second[len(second) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


class _GuardedLinks:
    """The link, image and reference patterns, with brackets matched once per text (see ``_Brackets``)
    and a link's target scanned for at most MAX_LINK_TARGET characters."""

    def getText(self, data, index):  # noqa: N802 - Python-Markdown's name
        end = self.md.bracket_matcher.close_of(data, index)
        if end is None or not self._may_follow(data, end + 1):
            return "", index, False
        return data[index:end], end + 1, True

    def _may_follow(self, data, index):
        return True

    def getLink(self, data, index):  # noqa: N802 - Python-Markdown's name
        # Each "](" scans on for the ")" that closes it: within MAX_LINK_TARGET characters, and while the
        # text's budget lasts (ordinary links use a fraction of it; a flood of "[a](b" runs it out).
        if self.md.link_budget <= 0:
            return "", None, index, False
        window = data[index : index + MAX_LINK_TARGET]
        href, title, end, handled = super().getLink(window, 0)
        if end < 0:  # Python-Markdown's unclosed quoted title: the link runs to the end, bar -end characters
            end += len(window)
        self.md.link_budget -= end if handled else len(window)
        return href, title, index + end, handled


class _Link(_GuardedLinks, inlinepatterns.LinkInlineProcessor):
    def _may_follow(self, data, index):
        return data.startswith("(", index)


class _Image(_GuardedLinks, inlinepatterns.ImageInlineProcessor):
    def _may_follow(self, data, index):
        return data.startswith("(", index)


class _Reference(_GuardedLinks, inlinepatterns.ReferenceInlineProcessor):
    def _may_follow(self, data, index):
        return data.startswith("[", index) or data.startswith("[", index + 1) and data[index].isspace()


class _ImageReference(_GuardedLinks, inlinepatterns.ImageReferenceInlineProcessor):
    _may_follow = _Reference._may_follow


class _ShortReference(_GuardedLinks, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _ShortImageReference(_GuardedLinks, inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


_TICKS = re.compile("`+")


@functools.cache
def _ticks(count):
    return re.compile(rf"(?<!`)`{{{count}}}(?!`)")


class _Backtick(inlinepatterns.BacktickInlineProcessor):
    """Code spans found with regular expressions: Python-Markdown walks the rest of the text character by
    character from each run of backticks, and runs of 1, 2, 3 … backticks never close. Same results.

    A run that finds no closing run has searched the rest of the text, and the next one would search it
    again: the first such search indexes the runs after it (``_Runs``), and the following runs of the same
    text look themselves up there. A span that closes changes the text (Python-Markdown puts a placeholder
    in its place), so the index is kept for one text only; a closing found costs the span's own length."""

    _runs = None

    def find_code_spans(self, start, text):
        ticks = len(_TICKS.match(text, start).group())
        start += ticks
        runs = self._runs
        if runs is None or runs.text is not text or start < runs.start:
            if closing := _ticks(ticks).search(text, start):
                return start, closing.start()
            runs = self._runs = _Runs(text, start)
        if (closing := runs.first(ticks, start)) is not None:
            return start, closing
        longest, at = runs.longest(start)
        if 0 < longest < ticks:  # Python-Markdown's fallback: the first longest run closes a shorter span
            return start - (ticks - longest), at
        return start + ticks, None


class _Runs:
    """The runs of backticks of ``text`` from ``start`` on: where each length occurs, and from each run on,
    the longest run and where it first occurs."""

    def __init__(self, text, start):
        self.text, self.start = text, start
        self.at, self.by_length = [], {}
        lengths = []
        for run in _TICKS.finditer(text, start):
            self.at.append(run.start())
            lengths.append(len(run.group()))
            self.by_length.setdefault(lengths[-1], []).append(run.start())
        self.longest_from = [(0, None)] * (len(lengths) + 1)
        for index in range(len(lengths) - 1, -1, -1):
            here, later = (lengths[index], self.at[index]), self.longest_from[index + 1]
            self.longest_from[index] = here if here[0] >= later[0] else later  # the first of equals

    def first(self, length, start):
        """Where the first run of exactly ``length`` backticks at or after ``start`` begins, or None."""
        at = self.by_length.get(length, ())
        index = bisect.bisect_left(at, start)
        return at[index] if index < len(at) else None

    def longest(self, start):
        """The length of the longest run at or after ``start`` and where its first occurrence begins."""
        return self.longest_from[bisect.bisect_left(self.at, start)]


class _Emphasis(inlinepatterns.DelimiterProcessor):
    """Emphasis nested at most MAX_EMPHASIS_DEPTH deep; deeper, it is its text. Python-Markdown's inline
    pass copies the list of an element's ancestors for each element, n² steps for n nested ones."""

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        element, start, end = super().handleMatch(m, data)
        if element is not None:
            _flatten_below(element, MAX_EMPHASIS_DEPTH)
        return element, start, end


def _flatten_below(root, max_depth):
    """Elements deeper than ``max_depth`` under ``root`` become their text."""
    level = [(root, 0)]
    while level:
        element, depth = level.pop()
        for child in element:
            if depth + 1 < max_depth:
                level.append((child, depth + 1))
            elif len(child):
                atomic = isinstance(child.text, AtomicString)
                text, tail = "".join(child.itertext()), child.tail
                child.clear()  # drops attributes too: a cut link is text, not a link
                child.tag, child.tail = "span", tail
                child.text = AtomicString(text) if atomic else text


# Python-Markdown's own names, priorities and patterns (markdown.inlinepatterns.build_inlinepatterns).
_LINK_PATTERNS = {
    "reference": (170, _Reference, inlinepatterns.REFERENCE_RE),
    "link": (160, _Link, inlinepatterns.LINK_RE),
    "image_link": (150, _Image, inlinepatterns.IMAGE_LINK_RE),
    "image_reference": (140, _ImageReference, inlinepatterns.IMAGE_REFERENCE_RE),
    "short_reference": (130, _ShortReference, inlinepatterns.REFERENCE_RE),
    "short_image_ref": (125, _ShortImageReference, inlinepatterns.IMAGE_REFERENCE_RE),
}

_MARKER = r"(?:>|[*+-][ \t]|\d{1,9}[.)][ \t])"
_TOO_MANY_MARKERS = re.compile(
    rf"^((?>[ \t]*{_MARKER}){{{MAX_NESTING}}}[ \t]*)(\d{{0,9}})(?=>|[*+-][ \t]|[.)][ \t])", re.MULTILINE
)
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


class _BoundNesting(Preprocessor):
    """At most MAX_NESTING lists and quotes inside one another: the block parser recurses once or twice per
    level, and a few hundred levels overflow Python's stack. The next marker on a line is escaped (shown as
    text) and indentation beyond MAX_NESTING levels is dropped. Runs after fenced code blocks are set
    aside, so their content is never touched."""

    def run(self, lines):
        text = _TOO_MANY_MARKERS.sub(r"\1\2\\", "\n".join(lines))
        return _INDENT.sub(self._bound_indent, text).split("\n")

    @staticmethod
    def _bound_indent(match):
        indent = match.group().expandtabs(_TAB_LENGTH)
        return indent[: MAX_NESTING * _TAB_LENGTH]


class _FirstMatch:
    """A block processor's ``RE.search(block)`` that remembers where the first match was.

    Python-Markdown parses a block by taking lines off its front and putting the rest back, and every such
    rest is searched again from its start (for a heading, a rule, a quote, a reference) by the processors
    that look anywhere in a block: n lines of setext headings or rules cost n²/2 steps. A match at or after
    the second character of a rest is one in the block it came from, so the first match found there still
    is, unless the rest begins with one."""

    def __init__(self, regex):
        self.regex, self.block, self.first = regex, None, None

    def __getattr__(self, name):
        return getattr(self.regex, name)

    def search(self, block, *args):
        if args or not isinstance(block, str):
            return self.regex.search(block, *args)
        if block is not self.block:
            self.first = self._first(block)
            self.block = block
        return self.first

    def _first(self, block):
        previous, first = self.block, self.first
        cut = len(previous) - len(block) if previous is not None else -1
        if cut < 0 or not previous.endswith(block):
            return self.regex.search(block)  # another block altogether
        if match := self.regex.match(block):
            return match
        if first is None:
            return None
        if first.start() > cut:
            return self.regex.search(block, first.start() - cut)
        return self.regex.search(block, 1)


# A fenced block as the fenced-code preprocessor stashes it when it has a language (its code escaped).
_FENCED_BLOCK = re.compile(r'\A<pre><code class="language-([^"]+)">(.*)</code></pre>\Z', re.DOTALL)


class _Highlight(Preprocessor):
    """Highlights the fenced blocks whose language is one of blog.highlight's, within a budget of
    MAX_HIGHLIGHTED characters of code per text (past it, and for other languages, code stays plain). Runs
    right after the fenced-code preprocessor, when the only HTML stashed is its blocks.

    A highlighted block is checked by blog.highlight itself; what goes through Markdown and the sanitiser
    is a placeholder, ``<pre class="highlight">`` holding a random token, replaced by the block afterwards
    (see ``highlighted`` on the converter)."""

    def run(self, lines):
        blocks = self.md.htmlStash.rawHtmlBlocks
        budget = highlight.MAX_HIGHLIGHTED if self.md.highlight else 0
        for index, block in enumerate(blocks):
            match = _FENCED_BLOCK.match(block) if isinstance(block, str) else None
            if match is None or highlight.lexer_name(match.group(1)) is None:
                continue
            code = html_lib.unescape(match.group(2))
            if len(code) > budget:
                continue
            budget -= len(code)
            if (highlighted := highlight.highlight(code, match.group(1))) is not None:
                placeholder = f'<pre class="highlight">{secrets.token_hex(16)}</pre>'
                self.md.highlighted[placeholder] = highlighted
                blocks[index] = placeholder
        return lines


class _SetextHeading(blockprocessors.SetextHeaderProcessor):
    """Python-Markdown's, splitting off the heading's two lines instead of the whole block into lines."""

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


@functools.lru_cache(maxsize=64)
def _closing_fence(fence):
    return re.compile(rf"^{re.escape(fence)}[ ]*$", re.MULTILINE)


_OPENING_FENCE = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)


class _Fences:
    """The fenced-code preprocessor's ``FENCED_BLOCK_RE.search(text, index)``, without scanning to the end
    of the text from every opening fence that is never closed (n such lines cost n²/2 steps).

    An opening fence can only match up to the first closing line after it; where that is, or that there is
    none, is remembered by distance from the end of the text (the preprocessor only replaces text before
    the position it has reached)."""

    def __init__(self, regex):
        self.regex, self.closing = regex, {}

    def search(self, text, index=0):
        for opening in _OPENING_FENCE.finditer(text, index):
            if self._closes(text, opening.group(), opening.end()) and (
                match := self.regex.match(text, opening.start())
            ):
                return match
        return None

    def _closes(self, text, fence, start):
        key = len(text) - start
        if fence in self.closing:
            searched_from, found = self.closing[fence]
            if key <= searched_from and (found is None or found < key):
                return found is not None  # the closing found then is still the first after this fence
        closing = _closing_fence(fence).search(text, start)
        self.closing[fence] = (key, None if closing is None else len(text) - closing.start())
        return closing is not None


class _ShiftHeadings(Treeprocessor):
    """``#`` is an h2, ``##`` an h3 … (h6 stays h6): the page's title is its one h1."""

    def run(self, root):
        for element in root.iter():
            element.tag = _HEADINGS.get(element.tag, element.tag)


class _BoundDepth(Treeprocessor):
    """Elements deeper than MAX_DEPTH become their text: html5lib's parser (inside bleach) looks through
    every open element for each piece of text, so n elements nested in each other cost n² steps."""

    def run(self, root):
        _flatten_below(root, MAX_DEPTH)


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
        # Each node's parent and index, taken once: the spots are linked last to first, so inserting links
        # after a node never moves a node still to be linked (no list.index per spot: n² for n siblings).
        places = (
            {child: (parent, index) for parent in root.iter() for index, child in enumerate(parent)}
            if users
            else {}
        )
        for node, attr, text in reversed(spots) if users else ():
            self._link(node, attr, text, users, places)

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

    def _link(self, node, attr, text, users, places):
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
        parent, index = (node, 0) if attr == "text" else (places[node][0], places[node][1] + 1)
        setattr(node, attr, pieces[0][0])
        for number, link in enumerate(links):
            link.tail = pieces[number + 1][0] if number + 1 < len(pieces) else text[last:]
            parent.insert(index + number, link)


def _markdown():
    converter = markdown_lib.Markdown(extensions=["fenced_code"], output_format="html")
    converter.bracket_matcher = _Brackets()
    converter.link_budget = LINK_BUDGET
    # Raw HTML blocks and inline tags are escaped and shown as text instead of passed through.
    converter.preprocessors.deregister("html_block")
    converter.preprocessors.register(_BoundNesting(converter), "bound_nesting", 24)  # after fenced code
    converter.preprocessors.register(_Highlight(converter), "highlight", 24.5)  # right after fenced code
    converter.highlight, converter.highlighted = False, {}
    fences = converter.preprocessors["fenced_code_block"]
    fences.FENCED_BLOCK_RE = _Fences(fences.FENCED_BLOCK_RE)
    blocks = converter.parser.blockprocessors
    _add_hashtags(converter)  # its heading processor replaces "hashheader": before the guard below wraps it
    for name, attribute in (("hashheader", "RE"), ("hr", "SEARCH_RE"), ("quote", "RE"), ("reference", "RE")):
        setattr(blocks[name], attribute, _FirstMatch(getattr(blocks[name], attribute)))
    blocks.register(_SetextHeading(converter.parser), "setextheader", 60)
    converter.inlinePatterns.deregister("html")
    for name, (priority, processor, pattern) in _LINK_PATTERNS.items():
        converter.inlinePatterns.register(processor(pattern, converter), name, priority)
    converter.inlinePatterns.register(_Backtick(inlinepatterns.BACKTICK_RE), "backtick", 190)
    emphasis = _Emphasis("*", "strong,em", converter)
    emphasis.add("_", "strong,em", smart=True)
    converter.inlinePatterns.register(emphasis, "em_strong", 60)
    converter.inlinePatterns.register(_BareUrl(_BareUrl.PATTERN, converter), "bare_url", 5)
    converter.treeprocessors.register(_ShiftHeadings(converter), "shift_headings", 19)
    converter.treeprocessors.register(_BoundDepth(converter), "bound_depth", 18)  # after inline (20)
    # After the inline patterns (20), which make code spans and links the elements it leaves alone.
    converter.treeprocessors.register(_Mentions(converter), "mentions", 15)
    converter.mentioned = []
    return converter


class _Walker(html5lib_shim.getTreeWalker("etree")):
    """html5lib's walker of an ElementTree, finding a node's parent in constant time: the original looks
    the parent up among all its siblings (twice) each time it goes up, n² steps for n siblings."""

    def __init__(self, tree):
        super().__init__(tree)
        self._index = {}

    def getParentNode(self, node):  # noqa: N802 - html5lib's name
        if not isinstance(node, tuple) or node[3] == "text" or len(node[2]) < 2:
            return super().getParentNode(node)
        _element, _key, parents, _flag = node
        parent = parents.pop()
        grandparent = parents[-1]
        if id(grandparent) not in self._index:
            self._index[id(grandparent)] = {id(child): index for index, child in enumerate(grandparent)}
        return parent, self._index[id(grandparent)][id(parent)], parents, None


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
        inserted = self._link(element, element.text, after=None, position=0) if element.text else 0
        # Each child's position is its index in the list taken before any insertion plus the links
        # inserted before it so far: no list.index per text (n² for n siblings with tags after them).
        for index, child in enumerate(list(element)):
            self._walk(child)
            if child.tail:
                inserted += self._link(element, child.tail, after=child, position=index + inserted + 1)

    def _link(self, parent, text, *, after, position):
        """Links the tags of ``text`` (the parent's text, or the tail of ``after``) where they are; returns
        how many links it inserted into ``parent`` (at ``position`` on)."""
        pieces = _HASHTAG.split(text)  # text, name, text, name, ..., text
        if len(pieces) == 1 or not any(is_tag_name(name) for name in pieces[1::2]):
            return 0
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
        else:
            after.tail = before
        for offset, link in enumerate(links):
            parent.insert(position + offset, link)
        return len(links)


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
    cleaner = bleach.sanitizer.Cleaner(
        tags=allowed, attributes=_allowed_attribute, protocols=PROTOCOLS, strip=True, strip_comments=True
    )
    cleaner.walker = _Walker
    return cleaner


# Only sets rel on the links that survived cleaning: it finds no new ones (Markdown made them already, and
# bleach's own finder would escape code blocks twice).
_rel_setter = bleach.linkifier.Linker(callbacks=[_set_rel], url_re=re.compile(r"(?!)"), parse_email=False)
_rel_setter.walker = _Walker


def render_markdown(text, *, allowed=POST_TAGS):
    """Markdown source to safe HTML with only the ``allowed`` tags (POST_TAGS or COMMENT_TAGS)."""
    converter = _markdown()
    converter.link_budget += 2 * len(text or "")
    converter.highlight = "span" in allowed  # comments show code unhighlighted
    html = converter.convert(text or "")
    html = _rel_setter.linkify(_cleaner(frozenset(allowed)).clean(html)).strip()
    for placeholder, block in converter.highlighted.items():
        html = html.replace(placeholder, block, 1)
    return html


def find_mentions(text):
    """The active members ``text`` mentions (``@username`` outside code and links), as render_markdown
    links them."""
    converter = _markdown()
    converter.convert(text or "")
    return converter.mentioned
