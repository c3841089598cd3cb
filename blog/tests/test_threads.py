"""A comment's <li> with its reader's actions, cached per kind of reader (blog.threads): whatever changes what
a reader is offered shows on the next request, in both languages; two readers never get each other's actions
nor CSRF tokens; no token is ever cached."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token

from accounts.models import Role
from accounts.tests.factories import UserFactory
from blog import services, threads
from blog.tests.factories import CommentFactory, PostFactory
from talks.tests.factories import GuestCommentFactory

pytestmark = pytest.mark.django_db


def item(content, comment):
    """The inside of ``comment``'s <li> up to its end or to its replies' list (included), or None when the
    page lacks it."""
    match = re.search(
        rf'id="comment-{comment.pk}">(.*?(?:</li>|<ul class="comment-list comment-replies))', content, re.S
    )
    return match and match.group(1)


def unmasked(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def tokens(html):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', html))


def secrets_of(html):
    """The CSRF secrets the page's tokens unmask to (each response masks the reader's secret anew, and a page
    kept for readers of a kind, flasky_project.shells, may mask it more than once)."""
    return {_unmask_cipher_token(token) for token in tokens(html)}


def readers_secret(response):
    """The secret of the CSRF cookie of the client that made ``response``."""
    return response.client.cookies["csrftoken"].value


# Each change: (what to do, given the world; whether the comment's <li> now shows it, in the page's language).


def edit(world):
    services.edit_comment(world["comment"], by=world["comment"].author, body="Second thoughts")


def disable(world):
    services.set_disabled(world["comment"], True, by=world["moderator"])


def delete(world):
    CommentFactory(post=world["post"], in_reply_to=world["comment"])  # a reply keeps it as a placeholder
    services.delete_comment(world["comment"], by=world["comment"].author)


def reader_likes(world):
    services.like(user=world["reader"], comment=world["comment"])


def reply(world):
    CommentFactory(post=world["post"], in_reply_to=world["comment"], body="A reply")


def becomes_moderator(world):
    world["reader"].role = Role.MODERATOR
    world["reader"].save()


DISABLE = {"en": ">Disable</button>", "es": ">Desactivar</button>"}
CHANGES = {
    "edited": (edit, lambda html, language: "Second thoughts" in html and "data-edited" in html),
    "disabled": (disable, lambda html, language: "Original words" not in html and "comment-body" not in html),
    "deleted": (
        delete,
        lambda html, language: "data-deleted-comment" in html and "data-toggle-form" not in html,
    ),
    "liked-by-reader": (
        reader_likes,
        lambda html, language: 'aria-pressed="true"' in html and 'name="undo"' in html,
    ),
    "reply": (reply, lambda html, language: 'class="comment-list comment-replies' in html),
    "reader-becomes-moderator": (becomes_moderator, lambda html, language: DISABLE[language] in html),
}


@pytest.mark.parametrize(
    ("change", "language"),
    [
        pytest.param(change, language, id=f"{change}-{language}")
        for change in CHANGES
        for language in ("en", "es")
    ],
)
def test_a_change_to_what_a_reader_is_offered_shows_on_the_next_request(
    login, author, reader, moderator, change, language
):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, body="Original words")
    world = {"post": post, "comment": comment, "reader": reader, "moderator": moderator}
    reader.language = language
    reader.save()
    client = login(reader)
    do, shows = CHANGES[change]

    def page():
        response = client.get(post.get_absolute_url())
        return response, response.content.decode()

    first, before = page()
    assert "Original words" in item(before, comment) and not shows(item(before, comment), language)
    second, again = page()
    assert "blog/_comment.html" in [template.name for template in first.templates]
    assert "blog/_comment.html" not in [template.name for template in second.templates]  # from the cache
    assert unmasked(again) == unmasked(before)
    do(world)
    assert shows(item(page()[1], comment), language)


def test_the_language_of_the_actions_is_the_readers(login, author, reader):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post)
    client = login(reader)
    for language, words in (
        ("en", "</svg> Report</a>"),
        ("es", "</svg> Denunciar</a>"),
        ("en", "</svg> Report</a>"),
    ):
        reader.language = language
        reader.save()
        assert words in item(client.get(post.get_absolute_url()).content.decode(), comment)


def test_an_approved_guest_comment_shows_its_new_actions_to_the_speaker(login):
    comment = GuestCommentFactory(body="A question")
    speaker, post = comment.post.author, comment.post
    client = login(speaker)
    before = item(client.get(post.get_absolute_url()).content.decode(), comment)
    assert "data-moderate=" in before and "comment-pending" not in before  # (the class is on the <li>)
    services.approve_comment(comment, by=speaker)
    after = item(client.get(post.get_absolute_url()).content.decode(), comment)
    assert (
        "data-moderate=" not in after and ">Disable</button>" in after and 'data-toggle-form="liked"' in after
    )


def test_the_posts_author_and_a_moderator_are_offered_more_than_a_member(login, author, reader, moderator):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post)
    delete_form = f'action="/comment/{comment.pk}/delete/"'
    member = item(login(reader).get(post.get_absolute_url()).content.decode(), comment)
    assert delete_form not in member and ">Disable</button>" not in member
    for user in (author, moderator):
        theirs = item(login(user).get(post.get_absolute_url()).content.decode(), comment)
        assert delete_form in theirs and ">Disable</button>" in theirs
    again = item(login(UserFactory()).get(post.get_absolute_url()).content.decode(), comment)
    assert unmasked(again) == unmasked(member)


def test_two_readers_never_get_each_others_actions_nor_tokens(login, author):
    post = PostFactory(author=author)
    writer, other = UserFactory(), UserFactory()
    comment = CommentFactory(post=post, author=writer)
    services.like(user=writer, comment=comment)
    edit_link = f'href="/comment/{comment.pk}/edit/"'
    responses = {}
    for user in (writer, other, writer, other):  # each reads after the other filled the cache
        responses[user] = response = login(user).get(post.get_absolute_url())
        html = response.content.decode()
        assert secrets_of(html) == {readers_secret(response)}
        mine = item(html, comment)
        assert (edit_link in mine) is (user == writer)
        assert ('aria-pressed="true"' in mine) is (user == writer)
        assert f'name="next" value="{post.get_absolute_url()}#comment-{comment.pk}"' in mine
    assert tokens(responses[writer].content.decode()).isdisjoint(tokens(responses[other].content.decode()))


def test_no_readers_token_is_cached(login, author, reader, monkeypatch):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, author=reader)
    CommentFactory(post=post, in_reply_to=comment)
    stored = {}

    class Recording:
        """The cache, remembering what blog.threads stores."""

        get_many = staticmethod(cache.get_many)

        @staticmethod
        def set_many(data, **kwargs):
            stored.update(data)
            return cache.set_many(data, **kwargs)

    monkeypatch.setattr(threads, "cache", Recording)
    response = login(reader).get(post.get_absolute_url())
    fragments = {key: value for key, value in stored.items() if key.startswith("card:thread:")}
    assert len(fragments) == 2
    cached = "".join("".join(parts) for parts in fragments.values())
    assert threads.PLACEHOLDER_INPUT in cached
    for token in tokens(response.content.decode()):
        assert token not in cached


def test_a_reply_is_inside_its_threads_li(login, author, reader):
    post = PostFactory(author=author)
    comment = CommentFactory(post=post)
    answer = CommentFactory(post=post, in_reply_to=comment)
    for _ in range(2):  # rendered, then from the cache
        html = login(reader).get(post.get_absolute_url()).content.decode()
        thread = re.search(
            rf'id="comment-{comment.pk}">.*?<ul class="comment-list comment-replies[^>]*>(.*)', html, re.S
        )
        assert f'id="comment-{answer.pk}"' in thread.group(1)
        assert thread.group(1).index(f'id="comment-{answer.pk}"') < thread.group(1).index("</ul>")


# --- the blank comment form, rendered once a language ----------------------------------------------


def comment_form(content):
    """The post's or talk's comment form (not a reply's)."""
    return re.search(
        r'<form method="post" action="[^"]*" class="comment-form mb-3".*?</form>', content, re.S
    ).group(0)


@pytest.mark.parametrize("page", ["post", "talk"])
def test_the_blank_comment_form_speaks_the_readers_language_with_their_token(login, reader, page):
    post = GuestCommentFactory().post if page == "talk" else PostFactory()
    others = login(UserFactory())
    client = login(reader)
    for language, label in (
        ("en", "Enter your comment"),
        ("es", "Escribe tu comentario"),
        ("en", "Enter your"),
    ):
        reader.language = language
        reader.save()
        response = client.get(post.get_absolute_url())
        form = comment_form(response.content.decode())
        assert label in form and 'name="in_reply_to"' in form
        assert secrets_of(form) == {readers_secret(response)}
        theirs = others.get(post.get_absolute_url())
        assert secrets_of(comment_form(theirs.content.decode())) == {readers_secret(theirs)}


@pytest.mark.parametrize("page", ["post", "talk"])
def test_a_comment_form_sent_back_with_errors_is_not_the_cached_one(login, reader, page):
    post = GuestCommentFactory().post if page == "talk" else PostFactory()
    client = login(reader)
    blank = comment_form(client.get(post.get_absolute_url()).content.decode())
    assert "invalid-feedback" not in blank
    response = client.post(post.get_absolute_url(), {"body": ""})
    assert response.status_code == 400
    assert "is-invalid" in comment_form(response.content.decode())
    assert "is-invalid" not in comment_form(client.get(post.get_absolute_url()).content.decode())


def test_a_commenters_new_avatar_shows_on_the_next_request(login, reader, settings):
    """The comment's key holds what decides the avatar's address (accounts.models.User.avatar_source), not the
    address itself: a new picture, or Gravatar turned on, is still a new key."""
    comment = CommentFactory()
    client = login(reader)

    def avatar():
        html = item(client.get(comment.post.get_absolute_url()).content.decode(), comment)
        return re.search(r'<img src="([^"]+)"', html).group(1)

    assert avatar().startswith("/avatar/")
    settings.FLASKY_GRAVATAR = True
    assert avatar().startswith("https://secure.gravatar.com/avatar/")
    comment.author.avatar = "avatars/fresh-face.png"
    comment.author.save()
    assert "avatars/fresh-face.png" in avatar()


def test_the_moderation_queues_buttons_follow_the_comment(moderator_client, moderator):
    comment = CommentFactory(body="Borderline words")
    disable, enable = f'action="/comment/{comment.pk}/disable/"', f'action="/comment/{comment.pk}/enable/"'
    before = item(moderator_client.get("/moderate/").content.decode(), comment)
    assert disable in before and enable not in before
    assert unmasked(item(moderator_client.get("/moderate/").content.decode(), comment)) == unmasked(before)
    services.set_disabled(comment, True, by=moderator)
    after = item(moderator_client.get("/moderate/").content.decode(), comment)
    assert enable in after and disable not in after


@pytest.mark.parametrize("form", ["comment", "post"])
def test_a_blank_form_is_rendered_again_once_its_code_changes(
    login, reader, monkeypatch, form, draw_pages_afresh
):
    """A deploy that changes the form, its templates or the packages that draw it changes the blank form's
    key (flasky_project.templatetags.layout.blank_form_version), so it is drawn and kept again."""
    from flasky_project import fragments
    from flasky_project.templatetags import layout

    path = PostFactory().get_absolute_url() if form == "comment" else "/"
    template = layout.COMMENT_FORM_TEMPLATES[0] if form == "comment" else layout.POST_FORM_TEMPLATES[0]
    client = login(reader)
    fragments._ONCE.clear()
    client.get(path)
    name = "comment_form_fields" if form == "comment" else "post_form"
    assert len([key for key in fragments._ONCE if key[0] == name]) == 1
    with mock.patch.object(fragments, "get_template", wraps=fragments.get_template) as rendered:
        client.get(path)
    assert template not in [call.args[0] for call in rendered.call_args_list]
    monkeypatch.setattr(layout, "_form_source_digest", lambda form_class: "a new release")
    draw_pages_afresh()  # (the release's code: a page kept whole is drawn again, flasky_project.shells)
    with mock.patch.object(fragments, "get_template", wraps=fragments.get_template) as rendered:
        assert client.get(path).status_code == 200
    assert template in [call.args[0] for call in rendered.call_args_list]
    assert len([key for key in fragments._ONCE if key[0] == name]) == 2
