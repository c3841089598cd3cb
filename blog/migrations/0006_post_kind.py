"""Post.kind: whether a post is a plain post or a talk (a post with details, talks.Talk).

On SQLite the column is added with a plain ALTER TABLE: Django would rebuild the table for a NOT NULL column
with a default, and a rebuilt table loses the full-text index's triggers (migration 0003).
"""

from django.db import migrations, models

FIELD = models.CharField(
    choices=[("post", "post"), ("talk", "talk")],
    default="post",
    editable=False,
    max_length=8,
    verbose_name="kind",
)


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE blog_post ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'post'")
    else:
        field = FIELD.clone()
        field.set_attributes_from_name("kind")
        schema_editor.add_field(apps.get_model("blog", "Post"), field)


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE blog_post DROP COLUMN kind")
    else:
        field = FIELD.clone()
        field.set_attributes_from_name("kind")
        schema_editor.remove_field(apps.get_model("blog", "Post"), field)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_comment_approved_by"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column, elidable=False)],
            state_operations=[migrations.AddField(model_name="post", name="kind", field=FIELD)],
        ),
    ]
