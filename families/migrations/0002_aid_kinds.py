"""The office's first list of aid kinds; staff add and change kinds in admin."""

from django.db import migrations

# (name, unit if given in kind, expected once per months, business capital)
KINDS = (
    ("Modal usaha", "", 12, True),
    ("Barang/peralatan usaha", "paket", 12, False),
    ("Bedah rumah (RTLH)", "", 60, False),
    ("Bantuan pangan (sembako)", "paket", 1, False),
    ("PKH (bantuan tunai bersyarat)", "", 3, False),
    ("Jaminan kesehatan (BPJS PBI)", "orang", 12, False),
    ("Bantuan pendidikan (KIP)", "", 6, False),
    ("Pelatihan keterampilan", "orang", 6, False),
    ("Sanitasi (jamban, air bersih)", "", 60, False),
)


def add_kinds(apps, schema_editor):
    AidKind = apps.get_model("families", "AidKind")
    for name, unit, months, capital in KINDS:
        AidKind.objects.get_or_create(
            name=name,
            defaults={"in_kind_unit": unit, "repeat_months": months, "is_business_capital": capital},
        )


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
