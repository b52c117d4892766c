"""Stored choice values in one language: English codes (the words people read stay in the
catalogue). Every stored row, and its history, is recoded; the migration runs backwards too."""

from django.db import migrations, models

APP = "assessments"
CODES = {  # (model, field): {stored code before: stored code now}
    ("NeedsAssessment", "chosen_business"): {
        "jamu": "herbal_drinks",
        "gas_lpg": "lpg",
        "kue": "cakes",
        "sayuran": "vegetables",
        "lainnya": "other",
    },
    ("HistoricalNeedsAssessment", "chosen_business"): {
        "jamu": "herbal_drinks",
        "gas_lpg": "lpg",
        "kue": "cakes",
        "sayuran": "vegetables",
        "lainnya": "other",
    },
    ("MemberProfile", "preferred_business"): {
        "jamu": "herbal_drinks",
        "gas_lpg": "lpg",
        "kue": "cakes",
        "sayuran": "vegetables",
        "lainnya": "other",
    },
    ("Problem", "category"): {
        "ekonomi": "economic",
        "sosial": "social",
        "perumahan": "housing",
        "kesehatan": "health",
        "pendidikan": "education",
        "lainnya": "other",
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
        ("assessments", "0003_text_limits"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalneedsassessment",
            name="chosen_business",
            field=models.CharField(
                blank=True,
                choices=[
                    ("herbal_drinks", "Traditional herbal drinks (jamu)"),
                    ("lpg", "LPG gas trading"),
                    ("cakes", "Assorted cakes"),
                    ("vegetables", "Vegetable growing"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="business chosen by the group",
            ),
        ),
        migrations.AlterField(
            model_name="memberprofile",
            name="preferred_business",
            field=models.CharField(
                blank=True,
                choices=[
                    ("herbal_drinks", "Traditional herbal drinks (jamu)"),
                    ("lpg", "LPG gas trading"),
                    ("cakes", "Assorted cakes"),
                    ("vegetables", "Vegetable growing"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="preferred business",
            ),
        ),
        migrations.AlterField(
            model_name="needsassessment",
            name="chosen_business",
            field=models.CharField(
                blank=True,
                choices=[
                    ("herbal_drinks", "Traditional herbal drinks (jamu)"),
                    ("lpg", "LPG gas trading"),
                    ("cakes", "Assorted cakes"),
                    ("vegetables", "Vegetable growing"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="business chosen by the group",
            ),
        ),
        migrations.AlterField(
            model_name="problem",
            name="category",
            field=models.CharField(
                choices=[
                    ("economic", "Economic"),
                    ("social", "Social"),
                    ("housing", "Housing and sanitation"),
                    ("health", "Health"),
                    ("education", "Education"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="category",
            ),
        ),
        migrations.RunPython(to_english, to_indonesian),
    ]
