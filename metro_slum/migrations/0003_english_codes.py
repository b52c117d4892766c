"""Stored choice values in one language: English codes (the words people read stay in the
catalogue). Every stored row, and its history, is recoded; the migration runs backwards too."""

from django.db import migrations, models

APP = "metro_slum"
CODES = {  # (model, field): {stored code before: stored code now}
    ("WaitingFile", "kind"): {"unggahan": "upload", "kesalahan": "errors", "dibaca": "read"},
    ("ExportRecord", "kind"): {
        "peserta": "participants",
        "kelompok": "groups",
        "bantuan": "grants",
        "laporan": "report",
        "data_pribadi": "person_data",
    },
}


def _recode(apps, schema_editor, backwards):
    immediate = schema_editor.connection.vendor == "postgresql"
    if immediate:
        # The rows' deferred foreign-key checks run now, so that the same migration may alter
        # the tables afterwards (PostgreSQL refuses an ALTER with checks still pending).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for (model_name, field), codes in CODES.items():
        model = apps.get_model(APP, model_name)
        for before, now in codes.items():
            old, new = (now, before) if backwards else (before, now)
            model.objects.filter(**{field: old}).update(**{field: new})
    if immediate:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def to_english(apps, schema_editor):
    _recode(apps, schema_editor, backwards=False)


def to_indonesian(apps, schema_editor):
    _recode(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("metro_slum", "0002_waiting_rows_read"),
    ]

    operations = [
        migrations.AlterField(
            model_name="waitingfile",
            name="kind",
            field=models.CharField(
                choices=[
                    ("upload", "Uploaded list"),
                    ("errors", "List of problems"),
                    ("read", "Rows read from an uploaded list"),
                ],
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(to_english, to_indonesian),
    ]
