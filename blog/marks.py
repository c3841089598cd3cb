"""The generation of readers' marks: a value that changes on every write to the likes or the bookmarks.

Bookmarks are not among the tables the page generation watches (flasky_project.pagecache: no page shows
them to a visitor), so what is kept of a reader's own likes and bookmarks is kept under this generation
too: the API's kept marks of a page of posts (api.shared_pages) and what a kept page's fillers keep for a
reader (flasky_project.shells). It is made as the page generation is: random, and when it was made (for
pagecache.settled); every write counts, a service's, a cascade's, the admin's or a command's.
"""

from blog.models import Bookmark, Like
from flasky_project import pagecache

GENERATION_KEY = "api-marks:generation"  # (its name from when the API alone kept marks)


def generation(found=None):
    """The current generation (``found``: what the request read ahead, if it holds it); made if none."""
    return pagecache.current_generation(GENERATION_KEY, found)


def bump():
    pagecache.renew_generation(GENERATION_KEY)


def watch_marks(execute, sql, params, many, context):
    """A database execute wrapper (installed on every connection: blog.apps): a write to the likes or the
    bookmarks makes a new generation, at once and again when the transaction commits (marks read from the
    uncommitted state meanwhile are kept under the first one), as flasky_project.pagecache does for pages."""
    result = execute(sql, params, many, context)
    if pagecache.written_table(sql) in _marked_tables():
        pagecache.bump_now_and_on_commit(context["connection"], bump)
    return result


def _marked_tables():
    return (Like._meta.db_table, Bookmark._meta.db_table)


def install_marks_watcher(sender=None, connection=None, **kwargs):
    """connection_created receiver: every connection of every process watches its writes."""
    if watch_marks not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_marks)  # (outside the slow-query timer)
