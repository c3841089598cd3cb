"""Post.moderation and Comment.moderation: held for review after several reports, or hidden by a moderator.

On SQLite the columns are added with a plain ALTER TABLE: Django would rebuild the tables for a NOT NULL
column with a default, and a rebuilt blog_post loses the full-text index's triggers (migration 0003).
"""

from django.db import migrations, models

FIELD = models.CharField(
    blank=True,
    choices=[("", "shown"), ("held", "held for review"), ("hidden", "hidden by a moderator")],
    default="",
    editable=False,
    help_text="Held after several reports, or hidden by a moderator: then only its author and moderators see it.",
    max_length=8,
    verbose_name="moderation",
)
TABLES = {"Post": "blog_post", "Comment": "blog_comment"}


def add_columns(apps, schema_editor):
    for model_name, table in TABLES.items():
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN moderation varchar(8) NOT NULL DEFAULT ''")
        else:
            schema_editor.add_field(apps.get_model("blog", model_name), _field())


def drop_columns(apps, schema_editor):
    for model_name, table in TABLES.items():
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN moderation")
        else:
            schema_editor.remove_field(apps.get_model("blog", model_name), _field())


def _field():
    field = FIELD.clone()
    field.set_attributes_from_name("moderation")
    return field


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_search_stems_spanish_on_sqlite"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_columns, drop_columns, elidable=False)],
            state_operations=[
                migrations.AddField(model_name="comment", name="moderation", field=FIELD),
                migrations.AddField(model_name="post", name="moderation", field=FIELD),
            ],
        ),
    ]
