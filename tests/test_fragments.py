"""The layout's per-reader fragments (flasky_project.fragments: the navbar, the sidebar) come from the cache,
change on the next request after whatever alters them, and are never one reader's served to another."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from blog import services as blog
from blog.tests.factories import PostFactory
from flasky_project import fragments
from social import derived
from social import services as social
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def navbar(content):
    return content[content.index("<header>") : content.index("</header>")]


def sidebar(content):
    start = content.index('<aside class="sidebar"')
    return content[start : content.index("</aside>", start)]


def page(client, path="/", language="en"):
    return client.get(path, headers={"accept-language": language}).content.decode()


def rename(user):
    user.username = "renamed"
    user.save()


def new_avatar(user):
    user.avatar = "avatars/fresh-face.png"
    user.save()


def notified(user):
    social.follow(follower=UserFactory(username="fan"), followed=user)


def promoted(user):
    user.role = Role.MODERATOR
    user.save()


def bell(html):
    return re.search(r"data-notifications-count aria-hidden=\"true\"(?: hidden)?>(\d*)<", html).group(0)


# (what to do to the reader, whether their navbar now shows it)
NAVBAR_CHANGES = {
    "rename": (rename, lambda html: 'href="/user/renamed/"' in html and "renamed</span>" in html),
    "new-avatar": (new_avatar, lambda html: "avatars/fresh-face.png" in html),
    "notification": (
        notified,
        lambda html: re.search(r"data-notifications-count aria-hidden=\"true\">1<", html),
    ),
    "promoted": (promoted, lambda html: 'href="/moderate/"' in html),
}


@pytest.mark.parametrize("change", NAVBAR_CHANGES, ids=list(NAVBAR_CHANGES))
@pytest.mark.parametrize("language", ["en", "es"], ids=["en", "es"])
def test_a_change_to_the_reader_shows_in_their_navbar_on_the_next_request(login, reader, change, language):
    client = login(reader)
    do, shows = NAVBAR_CHANGES[change]
    before = navbar(page(client, language=language))
    assert not shows(before)
    do(reader)
    assert shows(navbar(page(client, language=language)))


def test_the_navbar_and_the_sidebar_come_from_the_cache(reader_client):
    first = page(reader_client)
    with mock.patch.object(fragments, "get_template", wraps=fragments.get_template) as rendered:
        second = page(reader_client)
    assert rendered.call_count == 0
    assert unmasked(navbar(second)) == unmasked(navbar(first))
    assert unmasked(sidebar(second)) == unmasked(sidebar(first))


def test_the_navbar_speaks_the_pages_language(reader_client):
    assert "Log Out" in navbar(page(reader_client, language="en"))
    spanish = navbar(page(reader_client, language="es"))
    assert "Log Out" not in spanish and 'lang="es"' in page(reader_client, language="es")
    assert "Log Out" in navbar(page(reader_client, language="en"))


def test_the_theme_shows_on_the_next_request(reader_client):
    assert 'value="dark" class="btn btn-theme" aria-pressed="false"' in navbar(page(reader_client))
    reader_client.cookies["theme"] = "dark"
    assert 'value="dark" class="btn btn-theme" aria-pressed="true"' in navbar(page(reader_client))


def test_the_current_section_is_the_pages_own(reader_client, reader):
    home = navbar(page(reader_client))
    assert 'href="/" aria-current="page"' in home
    profile = navbar(page(reader_client, f"/user/{reader.username}/"))
    assert f'href="/user/{reader.username}/" aria-current="page"' in profile
    assert 'href="/" aria-current="page"' not in profile


def test_the_search_words_and_the_address_are_each_requests_own(reader_client):
    first = navbar(page(reader_client, "/search/?q=first"))
    second = navbar(page(reader_client, "/search/?q=%22%3Cb%3E"))
    assert 'value="first"' in first and 'name="next" value="/search/?q=first"' in first
    assert 'value="&quot;&lt;b&gt;"' in second and 'value="/search/?q=%22%3Cb%3E"' in second
    assert "first" not in second and "\x00" not in second


def test_search_words_that_name_a_placeholder_stay_words(reader_client):
    """The fills are put in one pass: the reader's search words are never read for another placeholder."""
    html = navbar(page(reader_client, "/search/?q=%00fragment:csrf_token%00"))
    box = re.search(r'<input[^>]*name="q"[^>]*>', html)[0]
    assert not re.search(r"[A-Za-z0-9]{64}", box)
    assert "fragment:csrf_token" in box


def test_a_fill_that_holds_a_placeholder_is_put_as_it_is(monkeypatch):
    """One pass: a fill's own text (say, search words) is never read for another placeholder's value."""

    class Drawn:
        def render(self, context):
            return f"{context['words']}|{context['token']}"

    monkeypatch.setattr(fragments, "get_template", lambda name: Drawn())
    monkeypatch.setattr(fragments, "_templates_digest", lambda templates: "")
    fills = {"words": fragments.placeholder("token"), "token": "SECRET"}
    html = fragments.cached_fragment("probe", ["probe.html"], ["probe"], {}, fills)
    assert html == f"{fragments.placeholder('token')}|SECRET"


def unmasked(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', html)


def test_two_readers_never_get_each_others_fragments(login, author):
    one, other = UserFactory(username="one"), UserFactory(username="other")
    blog.follow_tag(user=one, name="onlyone")
    PostFactory(author=author)
    clients = {one: login(one), other: login(other)}
    for _round in range(2):  # the second round from the cache
        for user, client in clients.items():
            html = page(client)
            someone_else = "other" if user is one else "one"
            assert f"Signed in as {user.username}" in navbar(html)
            assert f"Signed in as {someone_else}" not in html
            assert ("#onlyone" in sidebar(html)) == (user is one)
            secret = client.cookies["csrftoken"].value
            assert tokens(html) and {_unmask_cipher_token(token) for token in tokens(html)} == {secret}


def test_following_and_unfollowing_shows_in_the_sidebar_on_the_next_request(login, reader):
    friend, suggested = UserFactory(), UserFactory(username="suggested")
    social.follow(follower=reader, followed=friend)
    social.follow(follower=friend, followed=suggested)
    client = login(reader)
    assert f'id="suggestion-{suggested.pk}"' in sidebar(page(client))
    social.follow(follower=reader, followed=suggested)
    assert f'id="suggestion-{suggested.pk}"' not in sidebar(page(client))
    social.unfollow(follower=reader, followed=suggested)
    assert f'id="suggestion-{suggested.pk}"' in sidebar(page(client))


def test_a_suggested_persons_new_name_and_avatar_show_once_the_suggestions_are_read_again(login, reader):
    friend, suggested = UserFactory(), UserFactory(username="suggested")
    social.follow(follower=reader, followed=friend)
    social.follow(follower=friend, followed=suggested)
    client = login(reader)
    assert ">suggested</a>" in sidebar(page(client))
    rename(suggested)
    new_avatar(suggested)
    # The suggestions themselves are kept per reader for minutes (blog.suggestions): the fragment follows
    # them as soon as they are read again, here at once.
    cache.delete(derived.key(reader.pk, "who-to-follow"))
    block = sidebar(page(client))
    assert ">renamed</a>" in block and "avatars/fresh-face.png" in block


def test_a_followed_tag_shows_in_the_sidebar_on_the_next_request(login, reader):
    client = login(reader)
    assert "#python" not in sidebar(page(client))
    blog.follow_tag(user=reader, name="python")
    assert "#python" in sidebar(page(client))
    assert "#python" in sidebar(page(client, f"/user/{reader.username}/"))


def test_the_sidebars_talk_times_are_in_the_readers_zone(login, reader):
    TalkFactory(date=timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=2))
    client = login(reader)
    utc = sidebar(page(client))
    reader.timezone = "Asia/Tokyo"
    reader.save()
    tokyo = sidebar(page(client))
    assert "21:00" in tokyo or "9:00 p.m." in tokyo or "9 p.m." in tokyo
    assert tokyo != utc


def test_the_sidebar_speaks_the_pages_language(reader_client):
    assert "Talks coming up" in sidebar(page(reader_client, language="en"))
    assert "Talks coming up" not in sidebar(page(reader_client, language="es"))
