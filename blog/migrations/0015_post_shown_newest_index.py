# The posts everyone may see, newest first, with their author: a visitor's page's keys come from this index
# alone however deep the page (issue 14: page 1,000 of the home page read 20,000 rows of the table). Adding an
# index does not rebuild blog_post on SQLite (whose full-text-search triggers a rebuild would drop).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0014_postpicture"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("moderation", "")),
                fields=["-created", "-id", "author"],
                name="blog_post_shown_newest_idx",
            ),
        ),
    ]
