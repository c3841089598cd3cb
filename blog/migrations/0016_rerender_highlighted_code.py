"""Stored posts with a fenced code block that names a language rendered again, now highlighted.

Only those rows can change (comments show code unhighlighted). Rows are read in batches by key, not
through one open cursor, as in 0008: SQLite gives no isolation between a cursor and writes to the same
table on one connection.
"""

from django.db import migrations

from blog.markdown import POST_TAGS, render_markdown

BATCH = 2000


def rerender(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    rows = Post.objects.filter(body_html__contains='<pre><code class="language-').order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last).values_list("pk", "body", "body_html")[:BATCH]):
        last = batch[-1][0]
        changed = []
        for pk, body, html in batch:
            new = render_markdown(body, allowed=POST_TAGS)
            if new != html:
                changed.append(Post(pk=pk, body_html=new))
        Post.objects.bulk_update(changed, ["body_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("blog", "0015_post_shown_newest_index")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
