"""The blog app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")
    role_permissions = {"moderator": ["view_post", "view_comment", "change_comment"]}
    # Unsubscribe links that stop one post's comment emails (see accounts.notifications).
    unsubscribe_scopes = {"comments": "blog.services.find_comment_subscription"}

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete

        from accounts.backends import read_with_session_user
        from blog import marks
        from blog.listing import fill_kept_list
        from blog.models import PostPicture, ViewerFacts
        from blog.pictures import remove_files_of_deleted_picture
        from blog.search import add_sql_functions
        from blog.services import followed_tags_key
        from blog.suggestions import who_to_follow_key
        from blog.threads import fill_kept_comments, fill_post_guard
        from flasky_project import readahead, shells

        # The visibility rule's facts about the session's user come in its one query (accounts/backends.py).
        # (kept with the user's copy unless it names anyone: a mute may end with no write)
        read_with_session_user(
            "visibility", ViewerFacts.annotations, ViewerFacts.attach, ViewerFacts.timeless
        )

        # A kept page's lists of posts, drawn for each reader (flasky_project.shells).
        shells.register_filler("posts", fill_kept_list)
        shells.register_filler("comments", fill_kept_comments)
        shells.register_filler("post-guard", fill_post_guard)
        # What they keep for a reader (their likes and bookmarks) is kept under the marks' generation too.
        shells.register_reader_generation(marks.GENERATION_KEY, marks.generation)

        # The sidebar's people to follow and followed tags, read ahead (flasky_project.readahead).
        readahead.register("sidebar", lambda user: [who_to_follow_key(user), followed_tags_key(user)])

        # A picture's files leave storage with its row, whatever deletes it (blog/pictures.py).
        post_delete.connect(remove_files_of_deleted_picture, sender=PostPicture, dispatch_uid="blog.pictures")

        # Every connection notices writes to the likes and bookmarks (readers' kept marks: blog/marks.py).
        connection_created.connect(marks.install_marks_watcher, dispatch_uid="blog.marks")

        # SQLite's search triggers stem each post with a Python function: every connection gets it.
        connection_created.connect(add_sql_functions, dispatch_uid="blog.search.add_sql_functions")
        for connection in connections.all(initialized_only=True):
            add_sql_functions(connection=connection)
