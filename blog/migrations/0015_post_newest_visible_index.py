# The newest-first index carries what the visibility rule reads (author, moderation), so a page's keys come
# from the index alone however deep the page (issue 14: page 1,000 of the home page read 20,000 rows from the
# table, 1.3 s at a million posts). An index added and one removed: SQLite does not rebuild blog_post (whose
# full-text-search triggers a rebuild would drop). The new index is built before the old one goes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0014_postpicture"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["-created", "-id", "author", "moderation"], name="blog_post_newest_visible_idx"
            ),
        ),
        migrations.RemoveIndex(
            model_name="post",
            name="blog_post_newest_idx",
        ),
    ]
