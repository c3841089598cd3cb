"""Talk details in the blog's lists of posts (registered on TalksConfig; see blog.listing)."""

from blog.models import Post
from talks.models import Talk


def attach_talks(posts):
    """Give each listed post that is a talk its details (``post.talk_details``) and the talk's pages, in one
    query for the whole list (none when the talks came with the posts, through select_related("talk"))."""
    missing = [post.pk for post in posts if not Post.talk.is_cached(post)]
    found = Talk.objects.in_bulk(missing) if missing else {}
    for post in posts:
        talk = getattr(post, "talk", None) if Post.talk.is_cached(post) else found.get(post.pk)
        post.talk_details = talk
        if talk is not None:
            talk.post = post  # the listed post already has its author: no query to reach it from the talk
            post.page_url = talk.get_absolute_url()
            post.edit_url = talk.get_edit_url()
