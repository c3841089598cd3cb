"""reverse_id builds the address reverse() builds, for every name it serves, under any script prefix and
URLconf, and reverses each name once a process."""

from unittest import mock

import pytest
from django.urls import reverse, set_script_prefix

from flasky_project import reversing
from flasky_project.reversing import reverse_id

NAMES = [
    ("blog:post", ()),
    ("blog:edit", ()),
    ("talks:talk", ()),
    ("talks:edit", ()),
    ("blog:like", ()),
    ("blog:bookmark", ()),
    ("blog:like_comment", ()),
    ("moderation:report", ("post",)),
]


@pytest.fixture(autouse=True)
def _fresh():
    reversing._pattern.cache_clear()
    yield
    set_script_prefix("/")
    reversing._pattern.cache_clear()


@pytest.mark.parametrize(("name", "before"), NAMES, ids=[name for name, _before in NAMES])
@pytest.mark.parametrize("prefix", ["/", "/flasky/"])
def test_the_address_is_the_one_reverse_builds(name, before, prefix):
    set_script_prefix(prefix)
    for pk in (0, 7, 10, 876, 2**63 - 1):
        assert reverse_id(name, pk, before=before) == reverse(name, args=[*before, pk])


def test_each_name_is_reversed_once(settings):
    with mock.patch.object(reversing, "reverse", wraps=reverse) as reversed_:
        for pk in range(1, 30):
            reverse_id("blog:like", pk)
        assert reversed_.call_count == 1
        settings.ROOT_URLCONF = "flasky_project.tests.urls_errors"  # another URLconf is another key
        reverse_id("blog:like", 1)
        assert reversed_.call_count == 2
        assert reversed_.call_args.kwargs["urlconf"] == "flasky_project.tests.urls_errors"


def test_an_unsaved_object_has_no_address():
    with pytest.raises(Exception, match="like"):
        reverse_id("blog:like", None)
