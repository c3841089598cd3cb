"""The talks in Spanish: "charla" is feminine ("Pasada" for one, "Pasadas" for the tab), and a talk is a
"charla" in the speaker's emails too."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from blog.tests.factories import CommentFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

SPANISH = {"Accept-Language": "es"}


def test_one_past_talk_is_pasada_and_the_tab_pasadas(client):
    TalkFactory(date=timezone.now() - timedelta(days=3))
    content = client.get("/talks/past/", headers=SPANISH).content.decode()
    assert '<span class="badge text-bg-secondary align-middle small">Pasada</span>' in content
    assert ">Pasadas</a>" in content


@pytest.mark.parametrize("count", [1, 3], ids=["one_comment", "three_comments"])
def test_the_moderation_email_says_charla(count):
    talk = TalkFactory(post__title="Django")
    comments = CommentFactory.create_batch(count, post=talk.post)
    with translation.override("es"):
        text = render_to_string("talks/email/moderation_needed.txt", {"talk": talk, "comments": comments})
    assert "tu charla «Django»" in text
