"""Rendered once (blog.cards): every change that alters a post card or a comment shows on the next request,
for visitors and members in both languages, and the cached HTML holds nothing of one reader."""

import datetime
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from accounts.tests.factories import UserFactory
from blog import services
from blog.models import Moderation
from blog.tests.factories import CommentFactory, PostFactory
from social import services as social

pytestmark = pytest.mark.django_db


def card(content, post):
    """The <li> of ``post`` in a list of posts, or None when the list lacks it."""
    match = re.search(rf'<li class="post [^"]*" id="post-{post.pk}">(.*?)</li>', content, re.S)
    return match and match.group(1)


def unmasked(html):
    """``html`` without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def comments_count(html):
    return int(re.search(r'#comments">.*?(\d+)', html, re.S).group(1))


def likes_count(html):
    return int(re.search(r"data-like-count>(\d+)<", html).group(1))


# --- a post card on the home page ---------------------------------------------------------------------------
# Each change: (what to do to the post, whether the card now shows it). `world` holds the post, its author and
# the reader (None for a visitor).


def edit(world):
    services.edit_post(world["post"], body="An edited *body*")


def delete(world):
    services.delete_post(world["post"])


def add_comment(world):
    CommentFactory(post=world["post"])


def disable_comment(world):
    services.set_disabled(world["comment"], True, by=world["author"])


def delete_a_comment(world):
    services.delete_comment(world["comment"], by=world["comment"].author)


def like(world):
    services.like(user=UserFactory(), post=world["post"])


def rename_author(world):
    world["author"].username = "renamed"
    world["author"].save()


def new_avatar(world):
    world["author"].avatar = "avatars/fresh-face.png"
    world["author"].save()


def hide(world):
    world["post"].moderation = Moderation.HIDDEN
    world["post"].save(update_fields=["moderation"])


def block(world):
    social.block(blocker=world["reader"], blocked=world["author"])


def mute(world):
    social.mute(muter=world["reader"], muted=world["author"])


def mute_word(world):
    social.mute_word(user=world["reader"], word="zebra")


CHANGES = {
    "edit": (edit, lambda html: html is not None and "An edited <em>body</em>" in html),
    "delete": (delete, lambda html: html is None),
    "comment-added": (add_comment, lambda html: comments_count(html) == 2),
    # (a disabled comment still counts: it stays on the post's page as a notice; see the comments below)
    "comment-deleted": (delete_a_comment, lambda html: comments_count(html) == 0),
    "like": (like, lambda html: likes_count(html) == 1),
    "author-renamed": (rename_author, lambda html: ">renamed</a>" in html),
    "new-avatar": (new_avatar, lambda html: "avatars/fresh-face.png" in html),
    "moderation-hide": (hide, lambda html: html is None),
    "block": (block, lambda html: html is None),
    "mute": (mute, lambda html: html is None),
    "muted-word": (mute_word, lambda html: "data-muted-post" in html),
}
# A visitor can neither block nor mute anyone.
MEMBER_ONLY = {"block", "mute", "muted-word"}
CASES = [
    pytest.param(change, reader, language, id=f"{change}-{reader}-{language}")
    for change in CHANGES
    for reader in ("visitor", "member")
    for language in ("en", "es")
    if reader == "member" or change not in MEMBER_ONLY
]


@pytest.mark.parametrize(("change", "who", "language"), CASES)
def test_a_change_to_a_post_shows_on_the_next_request(login, author, reader, change, who, language):
    post = PostFactory(author=author, body="A zebra crossed the road.")
    world = {"post": post, "author": author, "reader": reader if who == "member" else None}
    world["comment"] = CommentFactory(post=post)
    client = login(reader) if who == "member" else Client()
    do, shows = CHANGES[change]

    def home():
        return card(client.get("/", headers={"accept-language": language}).content.decode(), post)

    before = home()
    assert before is not None and not shows(before)
    assert unmasked(home()) == unmasked(before)  # the same card, from the cache now
    do(world)
    assert shows(home())


def test_the_cards_speak_the_readers_language(client):
    post = PostFactory()
    CommentFactory.create_batch(2, post=post)
    assert "2 Comments" in card(client.get("/", headers={"accept-language": "en"}).content.decode(), post)
    assert "2 comentarios" in card(client.get("/", headers={"accept-language": "es"}).content.decode(), post)
    assert "2 Comments" in card(client.get("/", headers={"accept-language": "en"}).content.decode(), post)


def test_a_cached_card_is_not_rendered_again(client):
    PostFactory.create_batch(3)
    first = client.get("/")
    assert "blog/_post_card.html" in [template.name for template in first.templates]
    second = client.get("/")
    assert "blog/_post_card.html" not in [template.name for template in second.templates]
    assert unmasked(second.content.decode()) == unmasked(first.content.decode())


# --- what differs per reader stays out of the shared HTML ---------------------------------------------------


def test_each_reader_gets_their_own_actions_on_a_shared_card(login, author, reader, administrator, client):
    post = PostFactory(author=author)
    edit_link = f'href="/post/{post.pk}/edit/"'
    report_link = f'href="/report/post/{post.pk}/"'
    mine = card(login(author).get("/").content.decode(), post)
    assert edit_link in mine and report_link not in mine and "Edit [Admin]" not in mine
    theirs = card(login(reader).get("/").content.decode(), post)
    assert edit_link not in theirs and report_link in theirs
    assert 'data-toggle-form="liked"' in theirs and 'data-toggle-form="bookmarked"' in theirs
    assert "Edit [Admin]" in card(login(administrator).get("/").content.decode(), post)
    visitors = card(client.get("/").content.decode(), post)
    assert edit_link not in visitors and "data-toggle-form" not in visitors and report_link in visitors


def test_like_and_bookmark_state_is_the_readers_own(login, author, reader):
    post = PostFactory(author=author)
    services.like(user=reader, post=post)
    services.bookmark(user=reader, post=post)
    theirs = card(login(reader).get("/").content.decode(), post)
    assert theirs.count('aria-pressed="true"') == 2 and theirs.count('name="undo"') == 2
    # the same card (one like: the same key) for someone who did not like it
    others = card(login(UserFactory()).get("/").content.decode(), post)
    assert likes_count(others) == 1 and 'aria-pressed="true"' not in others and 'name="undo"' not in others


def test_forms_carry_each_readers_csrf_token_and_page(login, author, reader):
    post = PostFactory(author=author)
    for user, path in ((reader, "/"), (UserFactory(), "/?page=1")):
        response = login(user).get(path)
        html = card(response.content.decode(), post)
        # the reader's token: it unmasks to their secret (a page kept for readers of its kind may mask it
        # otherwise than the context did: flasky_project.shells)
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html).group(1)
        assert _unmask_cipher_token(token) == _unmask_cipher_token(str(response.context["csrf_token"]))
        assert html.count(f'name="csrfmiddlewaretoken" value="{token}"') == 2  # like, bookmark
        assert f'name="next" value="{path}#post-{post.pk}"'.replace("&", "&amp;") in html


def test_the_shared_card_carries_the_moment_not_the_readers_zone(login, reader):
    post = PostFactory()
    post_time = post.created.astimezone(datetime.UTC).isoformat()
    reader.timezone = "Pacific/Kiritimati"  # UTC+14: the day differs from UTC's for most of it
    reader.save()
    html = card(login(reader).get("/").content.decode(), post)
    when = re.search(rf'<time datetime="{re.escape(post_time)}" data-reltime>([^<]*)</time>', html)
    # (the words of the post's own text, made up by Faker, may hold "ago": only the time's are looked at)
    assert when and when.group(1).endswith(" UTC"), html
    assert "ago" not in when.group(1) and "+14" not in when.group(1)


def test_the_action_row_has_labelled_icon_buttons(reader_client, author):
    post = PostFactory(author=author)
    html = card(reader_client.get("/").content.decode(), post)
    sprite = "/static/vendor/bootstrap-icons/icons.svg"
    for icon in ("heart", "chat", "link-45deg", "bookmark", "flag"):
        assert f'<svg class="bi" aria-hidden="true"><use href="{sprite}#{icon}">' in html
    assert "badge text-bg" not in html.split("post-actions")[1]


# --- comments on a post's page ------------------------------------------------------------------------------


def comment_html(content, comment):
    match = re.search(rf'id="comment-{comment.pk}">(.*?)</li>', content, re.S)
    return match and match.group(1)


def edit_comment(world):
    services.edit_comment(world["comment"], by=world["comment"].author, body="Second thoughts")


def delete_comment(world):
    CommentFactory(post=world["post"], in_reply_to=world["comment"])  # a reply keeps it as a placeholder
    services.delete_comment(world["comment"], by=world["comment"].author)


def like_comment(world):
    services.like(user=UserFactory(), comment=world["comment"])


def rename_commenter(world):
    world["comment"].author.username = "newname"
    world["comment"].author.save()


COMMENT_CHANGES = {
    "comment-edited": (edit_comment, lambda html: "Second thoughts" in html and "data-edited" in html),
    "comment-deleted": (delete_comment, lambda html: "data-deleted-comment" in html),
    "comment-disabled": (
        disable_comment,
        lambda html: "Original words" not in html and "comment-body" not in html,
    ),
    "comment-liked": (like_comment, lambda html: likes_count(html) == 1),
    "commenter-renamed": (rename_commenter, lambda html: ">newname</a>" in html),
}


@pytest.mark.parametrize(
    ("change", "who", "language"),
    [
        pytest.param(change, who, language, id=f"{change}-{who}-{language}")
        for change in COMMENT_CHANGES
        for who in ("visitor", "member")
        for language in ("en", "es")
    ],
)
def test_a_change_to_a_comment_shows_on_the_next_request(login, author, reader, change, who, language):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, body="Original words")
    world = {"post": post, "author": author, "comment": comment}
    client = login(reader) if who == "member" else Client()
    do, shows = COMMENT_CHANGES[change]

    def page():
        content = client.get(post.get_absolute_url(), headers={"accept-language": language}).content.decode()
        return comment_html(content, comment)

    before = page()
    assert "Original words" in before and not shows(before)
    do(world)
    assert shows(page())


def test_a_moderator_sees_a_disabled_comments_text_a_reader_does_not(login, author, reader, moderator):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, body="Rude words")
    services.set_disabled(comment, True, by=moderator)
    for user, shown in ((moderator, True), (reader, False)):
        content = login(user).get(post.get_absolute_url()).content.decode()
        assert ("Rude words" in comment_html(content, comment)) is shown


def test_comment_actions_are_the_readers_own(login, author, reader):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, author=reader)
    edit_link = f'href="/comment/{comment.pk}/edit/"'
    mine = comment_html(login(reader).get(post.get_absolute_url()).content.decode(), comment)
    assert edit_link in mine
    others = comment_html(login(UserFactory()).get(post.get_absolute_url()).content.decode(), comment)
    assert edit_link not in others and 'data-toggle-form="liked"' in others
