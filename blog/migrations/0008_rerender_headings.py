"""Stored HTML rendered again with headings a level down (# is an h2: the page's title is its one h1).

Only rows whose HTML can change are rendered: posts with a heading (an <h…> in the stored HTML, or a "#" in
the source for the levels that used to be stripped). Comments allow no headings, so their HTML cannot hold
one; those with heading syntax are rendered again all the same, which costs little. Rows are read in
batches by key, not through one open cursor: SQLite gives no isolation between a cursor and writes to the
same table on one connection.
"""

from django.db import migrations
from django.db.models import Q

from blog.markdown import COMMENT_TAGS, POST_TAGS, render_markdown

BATCH = 2000


def rerender(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    Comment = apps.get_model("blog", "Comment")
    _rerender(Post, POST_TAGS, Q(body_html__contains="<h") | Q(body__contains="#"))
    _rerender(
        Comment, COMMENT_TAGS, Q(body__contains="#") | Q(body__contains="\n=") | Q(body__contains="\n-")
    )


def _rerender(model, allowed, candidates):
    rows = model.objects.filter(candidates).order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last).values_list("pk", "body", "body_html")[:BATCH]):
        last = batch[-1][0]
        changed = []
        for pk, body, html in batch:
            new = render_markdown(body, allowed=allowed)
            if new != html:
                changed.append(model(pk=pk, body_html=new))
        model.objects.bulk_update(changed, ["body_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("blog", "0007_dates_in_range")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
