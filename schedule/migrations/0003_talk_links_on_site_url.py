"""Appointments made from a talk before their link used SITE_URL (defect 9): the talk's address in their
description is rewritten to SITE_URL's, as new ones are made. Only the talk's own address is touched: the
rest of a description is its owner's text."""

import re

from django.conf import settings
from django.db import migrations


def rewrite(apps, schema_editor):
    Appointment = apps.get_model("schedule", "Appointment")
    site = settings.SITE_URL.rstrip("/")
    changed = []
    for appointment in Appointment.objects.filter(talk__isnull=False).only("pk", "talk_id", "description"):
        link = re.compile(rf"https?://[^/\s]+(/talks/{appointment.talk_id}/)(?=\s|$)")
        description = link.sub(lambda match: site + match.group(1), appointment.description)
        if description != appointment.description:
            appointment.description = description
            changed.append(appointment)
    Appointment.objects.bulk_update(changed, ["description"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("schedule", "0002_alter_appointment_end_alter_appointment_start")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
