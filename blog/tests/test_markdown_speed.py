"""Rendering time grows linearly with the text, for the classic pathological inputs of Markdown parsers.

Each input is rendered at 10× and 100× a base size: linear time makes the second about 10 times the first,
quadratic about 100 times; the test allows 25. Times are the process's CPU time (``time.process_time``),
not the wall clock: the machines that run the suite are shared, and other processes' load would otherwise
be counted as ours. Each size is measured twice and the shorter time kept.
"""

import time

import pytest

from accounts.tests.factories import UserFactory
from blog.markdown import render_markdown

# name: (one unit of the input, as a function of how many units) and the base count of units.
PATHOLOGICAL = {
    "unclosed brackets": (lambda n: "[" * n, 100),
    "unclosed [a": (lambda n: "[a" * n, 50),
    "unclosed images": (lambda n: "![" * n, 50),
    "nested brackets": (lambda n: "[" * n + "a" + "]" * n, 50),
    "nested brackets then a link": (lambda n: "[" * n + "a" + "](b)" * n, 30),
    "unclosed brackets before each link": (lambda n: ("[" * 20 + "[a](b)") * n, 10),
    "unclosed links": (lambda n: "[a](b" * n, 40),
    "unclosed links in <": (lambda n: "[a](<b" * n, 40),
    "link openers and parentheses": (lambda n: "[ (](" * n, 40),
    "link openers and emphasis closers": (lambda n: "[ a_" * n, 40),
    "references": (lambda n: "".join(f"[{i}]: u\n" for i in range(n)) + "[0] " * n, 40),
    "nested emphasis": (lambda n: "*a **a " * n + "b" + " a** a*" * n, 20),
    "emphasis runs": (lambda n: "*a**a***" * n, 12),
    "emphasis openers without closers": (lambda n: "_a " * n, 60),
    "mismatched emphasis": (lambda n: "*a_ " * n, 60),
    "a line of stars": (lambda n: "*" * n, 200),
    "backtick runs": (lambda n: "".join("e" + "`" * i for i in range(1, int(14 * n**0.5))), 4),
    "code spans": (lambda n: "`a``" * n, 40),
    "deep block quotes": (lambda n: "> " * n + "a", 50),
    "deep lists on one line": (lambda n: "- " * n + "a", 50),
    "quotes and lists": (lambda n: "> - " * n + "a", 30),
    "unclosed fenced code": (lambda n: "```a\nx\n" * n, 20),
    "setext headings": (lambda n: "a\n=\n" * n, 50),
    "rules": (lambda n: "---\n" * n, 50),
    "headings and quotes": (lambda n: "# a\n> b\n" * n, 8),
    "less-than signs": (lambda n: "<" * n, 100),
    "ampersands": (lambda n: "&" * n, 100),
    "autolinks": (lambda n: "<http://a" * n, 20),
    "tags between elements": (lambda n: "*a* #t " * n, 30),
    "tags and hashes": (lambda n: "#t #1 C# a#b " * n, 30),
    "mentions between elements": (lambda n: "*a* @speedy " * n, 30),
    "highlighted fences": (lambda n: '```python\nx = "<a>" # c\n```\n' * n, 20),
    "highlighted unclosed strings": (lambda n: "```js\n" + "'a\\\n/*`" * n + "\n```", 20),
}


def _cpu_time(text):
    times = []
    for _ in range(2):
        start = time.process_time()
        render_markdown(text)
        times.append(time.process_time() - start)
    return min(times)


@pytest.mark.parametrize("name", PATHOLOGICAL)
@pytest.mark.django_db  # "@name" and "#tag" are looked up (a mention is a member's profile link)
def test_rendering_time_is_linear(name):
    UserFactory(username="speedy")
    make, base = PATHOLOGICAL[name]
    render_markdown(make(base))  # 1×: warms the caches of patterns
    ten, hundred = _cpu_time(make(10 * base)), _cpu_time(make(100 * base))
    assert hundred <= 25 * max(ten, 0.002), f"{name}: 10× {ten * 1000:.1f} ms, 100× {hundred * 1000:.1f} ms"
