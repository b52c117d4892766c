"""Stored choice values in one language: English codes (the words people read stay in the
catalogue). Every stored row, and its history, is recoded between the old constraints and the
new ones that name the new codes; the migration runs backwards too."""

from django.conf import settings
from django.db import migrations, models


APP = "families"
CODES = {  # (model, field): {stored code before: stored code now}
    ("FollowUp", "status"): {
        "terbuka": "open",
        "dirujuk": "referred",
        "diproses": "in_progress",
        "selesai": "resolved",
        "ditolak": "declined",
        "tidak_bisa": "not_possible",
    },
    ("HistoricalFollowUp", "status"): {
        "terbuka": "open",
        "dirujuk": "referred",
        "diproses": "in_progress",
        "selesai": "resolved",
        "ditolak": "declined",
        "tidak_bisa": "not_possible",
    },
    ("FollowUp", "scope"): {"anggota": "member", "keluarga": "household", "kelompok": "group"},
    ("HistoricalFollowUp", "scope"): {
        "anggota": "member",
        "keluarga": "household",
        "kelompok": "group",
    },
    ("FollowUp", "service"): {
        "adminduk": "identity",
        "rtlh": "housing",
        "kip": "schooling",
        "sanitasi": "sanitation",
        "puskesmas": "health_care",
        "pelatihan": "training",
        "lainnya": "other",
    },
    ("HistoricalFollowUp", "service"): {
        "adminduk": "identity",
        "rtlh": "housing",
        "kip": "schooling",
        "sanitasi": "sanitation",
        "puskesmas": "health_care",
        "pelatihan": "training",
        "lainnya": "other",
    },
    ("FollowUp", "category"): {
        "ekonomi": "economic",
        "sosial": "social",
        "perumahan": "housing",
        "kesehatan": "health",
        "pendidikan": "education",
        "lainnya": "other",
    },
    ("HistoricalFollowUp", "category"): {
        "ekonomi": "economic",
        "sosial": "social",
        "perumahan": "housing",
        "kesehatan": "health",
        "pendidikan": "education",
        "lainnya": "other",
    },
    ("FollowUpEvent", "from_status"): {
        "terbuka": "open",
        "dirujuk": "referred",
        "diproses": "in_progress",
        "selesai": "resolved",
        "ditolak": "declined",
        "tidak_bisa": "not_possible",
    },
    ("FollowUpEvent", "to_status"): {
        "terbuka": "open",
        "dirujuk": "referred",
        "diproses": "in_progress",
        "selesai": "resolved",
        "ditolak": "declined",
        "tidak_bisa": "not_possible",
    },
    ("MemberMeasurement", "dtks_status"): {
        "terdaftar": "registered",
        "tidak_terdaftar": "not_registered",
        "belum_dicek": "unchecked",
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
        ("assessments", "0004_english_codes"),
        ("families", "0004_evidence_downloads"),
        ("participants", "0019_english_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="followup",
            name="families_followup_person_unless_group",
        ),
        migrations.AlterField(
            model_name="followup",
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
        migrations.AlterField(
            model_name="followup",
            name="scope",
            field=models.CharField(
                choices=[
                    ("member", "One member"),
                    ("household", "A member's household (family card)"),
                    ("group", "The whole group"),
                ],
                max_length=10,
                verbose_name="for whom",
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="service",
            field=models.CharField(
                choices=[
                    ("bpjs_pbi", "Health insurance (BPJS Kesehatan PBI)"),
                    ("identity", "Identity documents (KTP, KK, birth certificate) – Disdukcapil"),
                    ("dtks", "Social assistance through the DTKS (PKH, BPNT)"),
                    ("housing", "Housing repair (RTLH)"),
                    ("schooling", "Schooling (KIP)"),
                    ("sanitation", "Sanitation and clean water"),
                    ("health_care", "Health care (puskesmas)"),
                    ("training", "Skills training"),
                    ("other", "Other service"),
                ],
                max_length=20,
                verbose_name="service",
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("referred", "Referred"),
                    ("in_progress", "In progress"),
                    ("resolved", "Resolved"),
                    ("declined", "Declined"),
                    ("not_possible", "Not possible"),
                ],
                default="open",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="followupevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("open", "Open"),
                    ("referred", "Referred"),
                    ("in_progress", "In progress"),
                    ("resolved", "Resolved"),
                    ("declined", "Declined"),
                    ("not_possible", "Not possible"),
                ],
                max_length=12,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="followupevent",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("referred", "Referred"),
                    ("in_progress", "In progress"),
                    ("resolved", "Resolved"),
                    ("declined", "Declined"),
                    ("not_possible", "Not possible"),
                ],
                max_length=12,
                verbose_name="to",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfollowup",
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
        migrations.AlterField(
            model_name="historicalfollowup",
            name="scope",
            field=models.CharField(
                choices=[
                    ("member", "One member"),
                    ("household", "A member's household (family card)"),
                    ("group", "The whole group"),
                ],
                max_length=10,
                verbose_name="for whom",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfollowup",
            name="service",
            field=models.CharField(
                choices=[
                    ("bpjs_pbi", "Health insurance (BPJS Kesehatan PBI)"),
                    ("identity", "Identity documents (KTP, KK, birth certificate) – Disdukcapil"),
                    ("dtks", "Social assistance through the DTKS (PKH, BPNT)"),
                    ("housing", "Housing repair (RTLH)"),
                    ("schooling", "Schooling (KIP)"),
                    ("sanitation", "Sanitation and clean water"),
                    ("health_care", "Health care (puskesmas)"),
                    ("training", "Skills training"),
                    ("other", "Other service"),
                ],
                max_length=20,
                verbose_name="service",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfollowup",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("referred", "Referred"),
                    ("in_progress", "In progress"),
                    ("resolved", "Resolved"),
                    ("declined", "Declined"),
                    ("not_possible", "Not possible"),
                ],
                default="open",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="membermeasurement",
            name="dtks_status",
            field=models.CharField(
                choices=[
                    ("registered", "In the DTKS"),
                    ("not_registered", "Not in the DTKS"),
                    ("unchecked", "Not checked yet"),
                ],
                max_length=20,
                verbose_name="DTKS status",
            ),
        ),
        migrations.RunPython(to_english, to_indonesian),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("scope", "group"), ("participant__isnull", False), _connector="OR"
                ),
                name="families_followup_person_unless_group",
                violation_error_message="Choose the member this follow-up is for.",
            ),
        ),
    ]
