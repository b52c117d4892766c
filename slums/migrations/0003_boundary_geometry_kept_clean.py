"""Boundaries loaded before only the checked shape was kept: each keeps its type and
coordinates, and nothing else the file had sent with them."""

from django.db import migrations


def keep_type_and_coordinates(apps, schema_editor):
    Boundary = apps.get_model("slums", "Boundary")
    for boundary in Boundary.objects.iterator():
        geometry = boundary.geometry or {}
        clean = {"type": geometry.get("type"), "coordinates": geometry.get("coordinates")}
        if clean != geometry:
            boundary.geometry = clean
            boundary.save(update_fields=["geometry"])


class Migration(migrations.Migration):
    dependencies = [("slums", "0002_seed_method")]

    operations = [migrations.RunPython(keep_type_and_coordinates, migrations.RunPython.noop)]
