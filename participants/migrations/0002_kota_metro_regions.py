from django.db import migrations

from participants.regions import load_regions


def forwards(apps, schema_editor):
    load_regions(apps.get_model("participants", "Kecamatan"), apps.get_model("participants", "Kelurahan"))


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
