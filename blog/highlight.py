"""Syntax highlighting of fenced code blocks with Pygments, and the stylesheet for its classes in both themes.

Only the languages listed here are highlighted: Pygments has hundreds of lexers, a few of them with regular
expressions that have backtracked badly on crafted input in the past; the popular ones below are well
trodden. Any other language (or none) stays plain, escaped code. The HTML is Pygments' short token classes on
``<span>`` inside ``<pre class="highlight"><code class="language-…">``, which the sanitiser lets through
(TOKEN_CLASSES) and ``static/css/markup.css`` colours (its part after STYLESHEET_MARKER is written by
``stylesheet()``; a test keeps the committed file equal to it).
"""

import functools
import re

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Error, Text, Whitespace

# Fence language (lower case) -> the Pygments lexer's name.
LANGUAGES = {
    **dict.fromkeys(("python", "py", "python3", "py3"), "python"),
    **dict.fromkeys(("pycon",), "pycon"),
    **dict.fromkeys(("javascript", "js", "mjs"), "javascript"),
    **dict.fromkeys(("typescript", "ts"), "typescript"),
    **dict.fromkeys(("json",), "json"),
    **dict.fromkeys(("html",), "html"),
    **dict.fromkeys(("django", "jinja", "htmldjango"), "html+django"),
    **dict.fromkeys(("xml", "svg"), "xml"),
    **dict.fromkeys(("css",), "css"),
    **dict.fromkeys(("scss",), "scss"),
    **dict.fromkeys(("bash", "sh", "shell", "zsh"), "bash"),
    **dict.fromkeys(("console", "shell-session"), "console"),
    **dict.fromkeys(("sql", "postgresql", "psql", "sqlite"), "sql"),
    **dict.fromkeys(("c", "h"), "c"),
    **dict.fromkeys(("cpp", "c++", "cxx", "hpp"), "cpp"),
    **dict.fromkeys(("csharp", "cs"), "csharp"),
    **dict.fromkeys(("java",), "java"),
    **dict.fromkeys(("kotlin", "kt"), "kotlin"),
    **dict.fromkeys(("go", "golang"), "go"),
    **dict.fromkeys(("rust", "rs"), "rust"),
    **dict.fromkeys(("ruby", "rb"), "ruby"),
    **dict.fromkeys(("php",), "php"),
    **dict.fromkeys(("swift",), "swift"),
    **dict.fromkeys(("yaml", "yml"), "yaml"),
    **dict.fromkeys(("toml",), "toml"),
    **dict.fromkeys(("ini", "cfg"), "ini"),
    **dict.fromkeys(("diff", "patch"), "diff"),
    **dict.fromkeys(("dockerfile", "docker"), "docker"),
    **dict.fromkeys(("makefile", "make"), "make"),
    **dict.fromkeys(("markdown", "md"), "markdown"),
    **dict.fromkeys(("lua",), "lua"),
    **dict.fromkeys(("r",), "r"),
    **dict.fromkeys(("haskell", "hs"), "haskell"),
    **dict.fromkeys(("elixir", "ex"), "elixir"),
    **dict.fromkeys(("scala",), "scala"),
    **dict.fromkeys(("perl", "pl"), "perl"),
    **dict.fromkeys(("nginx",), "nginx"),
}
# Characters of code highlighted per text; code past them stays plain (Pygments runs at about 1 MB/s).
MAX_HIGHLIGHTED = 100_000
# A block longer than WHOLE_BLOCK is lexed in pieces of at most PIECE characters, cut at a blank line where
# there is one: a lexer's patterns for what may span lines (strings, comments, regular expressions) scan to
# the end of the text when unclosed, once per position they are tried at, which is quadratic in the text
# (Pygments' JavaScript lexer on 28,000 characters of unclosed strings: 167 ms; 7,000: 20 ms). Lexed in
# pieces the cost is linear; a construct that spans a cut is coloured as if it began afresh after it.
WHOLE_BLOCK, PIECE = 2_000, 1_000
# The classes Pygments gives tokens (the short names: "k" for a keyword, "s2" for a double-quoted string).
TOKEN_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)
# Both have a contrast of at least 4.5:1 against their background for every token (WCAG AA); see
# blog/tests/test_highlight.py.
LIGHT_STYLE, DARK_STYLE = "default", "github-dark"
STYLESHEET_MARKER = "/* --- highlight --- */\n"
_FORMATTER = HtmlFormatter(nowrap=True)


@functools.cache
def _lexer(name):
    return get_lexer_by_name(name, stripnl=False, ensurenl=False)


def lexer_name(language):
    """The Pygments lexer for a fence's language, or None when it is not one highlighted here."""
    return LANGUAGES.get((language or "").lower())


# What highlight() may return, exactly: escaped text and flat <span>s with a token class, nothing else.
# Each character has one way to match (text is never "<", a span always starts with one): linear time.
_SAFE_BLOCK = re.compile(
    r'<pre class="highlight"><code class="language-[a-z0-9_+-]{1,40}">'
    rf'(?:[^<>]|<span class="(?:{"|".join(sorted(TOKEN_CLASSES, key=len, reverse=True))})">[^<>]*</span>)*'
    r"</code></pre>"
)


def highlight(code, language):
    """``code`` (plain text) as highlighted HTML for ``language`` (a key of LANGUAGES), or None if Pygments
    wrote anything but escaped text in token <span>s.

    The block is checked here against _SAFE_BLOCK rather than by the sanitiser (bleach parses HTML at about
    0.2 ms a tag, and highlighted code is one tag every few characters: ten times the cost of the rest of
    the text); it holds only what the sanitiser would let through."""
    language = language.lower()
    lexer = _lexer(LANGUAGES[language])
    spans = "".join(pygments_highlight(piece, lexer, _FORMATTER) for piece in _pieces(code))
    block = f'<pre class="highlight"><code class="language-{language}">{spans}</code></pre>'
    return block if _SAFE_BLOCK.fullmatch(block) else None


def _pieces(code):
    """``code`` whole when it is short, else cut into pieces of at most PIECE characters: after the last
    blank line in a piece's second half, else after its last line break, else (one long line) at PIECE."""
    if len(code) <= WHOLE_BLOCK:
        yield code
        return
    start = 0
    while len(code) - start > PIECE:
        end = start + PIECE
        cut = code.rfind("\n\n", start + PIECE // 2, end)
        cut = cut + 2 if cut != -1 else code.rfind("\n", start, end) + 1 or end
        if cut <= start:
            cut = end
        yield code[start:cut]
        start = cut
    if start < len(code):
        yield code[start:]


def stylesheet():
    """The CSS for highlighted code: the light style by default, the dark one under Bootstrap's
    ``[data-bs-theme=dark]``. Every class the light style colours is coloured again in the dark block (with
    the dark style's text colour when it has none), so no light colour shows on the dark background."""
    light = get_style_by_name(LIGHT_STYLE)
    dark = get_style_by_name(DARK_STYLE)
    dark_text = dark.style_for_token(Text)["color"] or "c9d1d9"
    missing = sorted(
        STANDARD_TYPES[token]
        for token in STANDARD_TYPES
        if STANDARD_TYPES[token]
        and light.style_for_token(token)["color"]
        and not dark.style_for_token(token)["color"]
        and token not in Whitespace
    )
    fallback = [f"[data-bs-theme=dark] .highlight .{name} {{ color: #{dark_text} }}" for name in missing]
    return "\n".join(
        [
            *_rules(LIGHT_STYLE, ".highlight"),
            *fallback,
            *_rules(DARK_STYLE, "[data-bs-theme=dark] .highlight"),
            "",
        ]
    )


def _rules(style, prefix):
    """A style's background and token rules under ``prefix`` (not Pygments' rules for bare ``pre`` and line
    numbers, which would reach every <pre> of the page)."""
    formatter = HtmlFormatter(style=style)
    return [*formatter.get_background_style_defs(prefix), *formatter.get_token_style_defs(prefix)]


def contrast_pairs(style_name):
    """(token, foreground, background) for every coloured token of a style but whitespace and errors (whose
    colours mark a mistake, not text to read): what the contrast test checks."""
    style = get_style_by_name(style_name)
    for token, definition in style:
        if definition["color"] and token not in Whitespace and token is not Error:
            yield token, definition["color"], definition["bgcolor"] or style.background_color.lstrip("#")
