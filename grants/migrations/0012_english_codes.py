"""Stored choice values in one language: English codes (the words people read stay in the
catalogue). Every stored row, and its history, is recoded; the migration runs backwards too."""

from django.db import migrations, models

APP = "grants"
CODES = {  # (model, field): {stored code before: stored code now}
    ("Disbursement", "method"): {"tunai": "cash", "barang": "goods"},
    ("HistoricalDisbursement", "method"): {"tunai": "cash", "barang": "goods"},
    ("Document", "kind"): {
        "buku_tabungan": "bank_book",
        "bast": "handover",
        "kuitansi": "receipt",
        "foto": "photo",
        "lainnya": "other",
    },
    ("HistoricalDocument", "kind"): {
        "buku_tabungan": "bank_book",
        "bast": "handover",
        "kuitansi": "receipt",
        "foto": "photo",
        "lainnya": "other",
    },
    ("MonitoringVisit", "business_status"): {
        "berjalan": "running",
        "tersendat": "struggling",
        "berhenti": "stopped",
    },
    ("Grant", "last_visit_status"): {
        "berjalan": "running",
        "tersendat": "struggling",
        "berhenti": "stopped",
    },
    ("PlaceGrantCount", "business_status"): {
        "berjalan": "running",
        "tersendat": "struggling",
        "berhenti": "stopped",
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
        ("grants", "0011_place_figures_in_columns"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disbursement",
            name="method",
            field=models.CharField(
                choices=[("transfer", "Bank transfer"), ("cash", "Cash"), ("goods", "Goods")],
                max_length=20,
                verbose_name="method",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("proposal", "Proposal"),
                    ("rab", "Budget plan (RAB)"),
                    ("bank_book", "Bank book copy"),
                    ("ktp", "KTP copies"),
                    ("handover", "Handover minutes (BAST)"),
                    ("receipt", "Receipt"),
                    ("photo", "Photo"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldisbursement",
            name="method",
            field=models.CharField(
                choices=[("transfer", "Bank transfer"), ("cash", "Cash"), ("goods", "Goods")],
                max_length=20,
                verbose_name="method",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="kind",
            field=models.CharField(
                choices=[
                    ("proposal", "Proposal"),
                    ("rab", "Budget plan (RAB)"),
                    ("bank_book", "Bank book copy"),
                    ("ktp", "KTP copies"),
                    ("handover", "Handover minutes (BAST)"),
                    ("receipt", "Receipt"),
                    ("photo", "Photo"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="monitoringvisit",
            name="business_status",
            field=models.CharField(
                choices=[
                    ("running", "Running"),
                    ("struggling", "Struggling"),
                    ("stopped", "Stopped"),
                ],
                max_length=20,
                verbose_name="business status",
            ),
        ),
        migrations.AlterField(
            model_name="placegrantcount",
            name="business_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("running", "Running"),
                    ("struggling", "Struggling"),
                    ("stopped", "Stopped"),
                ],
                max_length=20,
                verbose_name="business at the last visit",
            ),
        ),
        migrations.RunPython(to_english, to_indonesian),
    ]
