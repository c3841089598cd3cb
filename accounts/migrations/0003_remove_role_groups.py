"""Roles no longer live in auth Groups (accounts.roles answers from the role field): remove the three groups
the old post-migrate sync kept, with their permission rows. Users never belonged to groups (User.groups is
None), so there are no memberships of users to remove. Other groups are left alone."""

from django.db import migrations

OLD_ROLE_GROUPS = ["User", "Moderator", "Administrator"]


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    # Deleting a group deletes its rows in the group-permission table with it.
    Group.objects.filter(name__in=OLD_ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_email_opt_out"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Nothing to put back when migrating backwards: no code reads the groups any more.
    operations = [migrations.RunPython(remove_role_groups, migrations.RunPython.noop)]
