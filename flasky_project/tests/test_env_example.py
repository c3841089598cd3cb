""".env.example documents every variable the settings and the gunicorn configuration read."""

import re
from pathlib import Path

from django.conf import settings

READERS = ["flasky_project/settings.py", "deploy/gunicorn.conf.py"]
# env("NAME"), env.bool("NAME", …), os.environ.get("NAME", …), os.environ["NAME"]
READ = re.compile(r"""(?:\benv(?:\.\w+)?|os\.environ\.get|os\.environ)[(\[]\s*["']([A-Z][A-Z0-9_]+)["']""")
DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def read_names():
    names = set()
    for path in READERS:
        names |= set(READ.findall((settings.BASE_DIR / path).read_text()))
    return names


def test_the_pattern_finds_the_settings_reads():
    names = read_names()
    assert {
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "WEB_CONCURRENCY",
        "FLASKY_EMAIL_RETRY_DELAYS",
    } <= names
    assert len(names) > 40


def test_every_variable_is_documented_in_env_example():
    documented = set(DOCUMENTED.findall(Path(settings.BASE_DIR / ".env.example").read_text()))
    assert read_names() - documented == set()
