"""Posts that have talk details become posts of the kind "talk" (blog.Post.kind)."""

from django.db import migrations


def mark_talks(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    Talk = apps.get_model("talks", "Talk")
    Post.objects.filter(pk__in=Talk.objects.values("post")).update(kind="talk")


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0002_alter_talk_date"),
        ("blog", "0006_post_kind"),
    ]

    operations = [migrations.RunPython(mark_talks, migrations.RunPython.noop)]
