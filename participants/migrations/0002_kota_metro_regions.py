from django.db import migrations

from participants.regions import KOTA_METRO, region_name_key


def load_regions(apps, schema_editor):
    Kecamatan = apps.get_model("participants", "Kecamatan")
    Kelurahan = apps.get_model("participants", "Kelurahan")
    for kecamatan_code, kecamatan_name, kelurahan_rows in KOTA_METRO:
        kecamatan, _ = Kecamatan.objects.update_or_create(
            code=kecamatan_code, defaults={"name": kecamatan_name}
        )
        for code, name, is_program_area in kelurahan_rows:
            Kelurahan.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_key": region_name_key(name),
                    "kecamatan": kecamatan,
                    "is_program_area": is_program_area,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
