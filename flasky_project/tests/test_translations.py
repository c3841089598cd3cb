"""Every string the site shows must have a Spanish translation.

The strings are found the way `makemessages` finds them (Django's templatize() for templates, gettext
calls in Python), without needing GNU gettext installed, and each is looked up in the compiled Spanish
catalogue. A string added without a translation fails here, naming the string and where it is.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
APPS = ["accounts", "social", "blog", "talks", "schedule", "api", "flasky_project"]
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
NGETTEXT = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
# templatize() turns a template into gettext calls among placeholder text (not valid Python as a whole).
_LITERAL = r"u?'((?:[^'\\]|\\.)*)'"
TEMPLATE_CALL = re.compile(rf"\b(n?p?gettext)\({_LITERAL}(?:, {_LITERAL})?")


def _template_calls(code):
    for name, first, second in TEMPLATE_CALL.findall(code):
        first, second = (ast.literal_eval(f"'{text}'") if text else None for text in (first, second))
        if name in {"gettext", "pgettext"}:
            yield (second if name == "pgettext" else first), None
        else:
            yield first, second


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [
                arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            if name in GETTEXT and args:
                yield args[-1] if name.startswith("pgettext") else args[0], None
            elif name in NGETTEXT and len(args) >= 2:
                yield (args[1], args[2]) if name.startswith("npgettext") else (args[0], args[1])


def _strings():
    """(msgid, plural or None, where) for every translatable string of the project."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            code = templatize(path.read_text(), origin=str(path))
            found += [(msgid, plural, path) for msgid, plural in _template_calls(code)]
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            found += [(msgid, plural, path) for msgid, plural in _calls(ast.parse(path.read_text()))]
    return found


def test_the_extractor_finds_strings_in_templates_and_code():
    where = {path.suffix for _msgid, _plural, path in _strings()}
    assert where == {".html", ".txt", ".py"}


def test_every_string_has_a_spanish_translation():
    catalog = translation.trans_real.translation("es")._catalog
    missing = []
    for msgid, plural, path in _strings():
        if not msgid.strip():
            continue
        key = (msgid, 0) if plural else msgid
        if not catalog.get(key):
            missing.append(f"{path.relative_to(ROOT)}: {msgid!r}")
    assert not missing, (
        "Untranslated strings (run makemessages -l es, translate, compilemessages):\n"
        + "\n".join(sorted(set(missing)))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/auth/login/", "/auth/signup/", "/search/?q=x", "/no/such/page/"])
def test_pages_render_in_spanish(client, path):
    content = client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in content
    for english in ("Log In", "Register", "Home", "Search", "Language"):
        assert f">{english}<" not in content, english
