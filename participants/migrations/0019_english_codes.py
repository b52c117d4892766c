"""Stored choice values in one language: English codes (the words people read stay in the
catalogue). Every stored row, and its history, is recoded between the old constraints and the
new ones that name the new codes; the migration runs backwards too."""

from django.db import migrations, models


APP = "participants"
CODES = {  # (model, field): {stored code before: stored code now}
    ("Participant", "dtks_status"): {
        "terdaftar": "registered",
        "tidak_terdaftar": "not_registered",
        "belum_dicek": "unchecked",
    },
    ("HistoricalParticipant", "dtks_status"): {
        "terdaftar": "registered",
        "tidak_terdaftar": "not_registered",
        "belum_dicek": "unchecked",
    },
    ("Participant", "legal_basis"): {"tugas_publik": "public_task", "persetujuan": "consent"},
    ("HistoricalParticipant", "legal_basis"): {
        "tugas_publik": "public_task",
        "persetujuan": "consent",
    },
    ("ParticipantGroup", "business_type"): {
        "jamu": "herbal_drinks",
        "gas_lpg": "lpg",
        "kue": "cakes",
        "sayuran": "vegetables",
        "lainnya": "other",
    },
    ("HistoricalParticipantGroup", "business_type"): {
        "jamu": "herbal_drinks",
        "gas_lpg": "lpg",
        "kue": "cakes",
        "sayuran": "vegetables",
        "lainnya": "other",
    },
    ("Membership", "role"): {
        "ketua": "chair",
        "sekretaris": "secretary",
        "bendahara": "treasurer",
        "anggota": "member",
    },
    ("HistoricalMembership", "role"): {
        "ketua": "chair",
        "sekretaris": "secretary",
        "bendahara": "treasurer",
        "anggota": "member",
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
        ("participants", "0018_shared_records_move_to_metro_slum"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="membership",
            name="participants_membership_one_officer_per_role",
        ),
        migrations.RemoveConstraint(
            model_name="participantgroup",
            name="participants_group_other_business_described",
        ),
        migrations.AlterField(
            model_name="historicalmembership",
            name="role",
            field=models.CharField(
                choices=[
                    ("chair", "Chair (ketua)"),
                    ("secretary", "Secretary (sekretaris)"),
                    ("treasurer", "Treasurer (bendahara)"),
                    ("member", "Member (anggota)"),
                ],
                default="member",
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="historicalparticipant",
            name="dtks_status",
            field=models.CharField(
                choices=[
                    ("registered", "In the DTKS"),
                    ("not_registered", "Not in the DTKS"),
                    ("unchecked", "Not checked yet"),
                ],
                default="unchecked",
                max_length=20,
                verbose_name="DTKS status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalparticipant",
            name="legal_basis",
            field=models.CharField(
                choices=[
                    ("public_task", "Public task of the social services office"),
                    ("consent", "Consent of the person"),
                ],
                default="public_task",
                help_text="The programme is a public task of Dinas Sosial; choose consent where the person's consent is what the office relies on (record its date).",
                max_length=20,
                verbose_name="legal basis of processing",
            ),
        ),
        migrations.AlterField(
            model_name="historicalparticipantgroup",
            name="business_type",
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
                verbose_name="business type",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("chair", "Chair (ketua)"),
                    ("secretary", "Secretary (sekretaris)"),
                    ("treasurer", "Treasurer (bendahara)"),
                    ("member", "Member (anggota)"),
                ],
                default="member",
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="participant",
            name="dtks_status",
            field=models.CharField(
                choices=[
                    ("registered", "In the DTKS"),
                    ("not_registered", "Not in the DTKS"),
                    ("unchecked", "Not checked yet"),
                ],
                default="unchecked",
                max_length=20,
                verbose_name="DTKS status",
            ),
        ),
        migrations.AlterField(
            model_name="participant",
            name="legal_basis",
            field=models.CharField(
                choices=[
                    ("public_task", "Public task of the social services office"),
                    ("consent", "Consent of the person"),
                ],
                default="public_task",
                help_text="The programme is a public task of Dinas Sosial; choose consent where the person's consent is what the office relies on (record its date).",
                max_length=20,
                verbose_name="legal basis of processing",
            ),
        ),
        migrations.AlterField(
            model_name="participantgroup",
            name="business_type",
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
                verbose_name="business type",
            ),
        ),
        migrations.RunPython(to_english, to_indonesian),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role__in", ["chair", "secretary", "treasurer"])),
                fields=("group", "role"),
                name="participants_membership_one_officer_per_role",
                violation_error_message="The group already has someone in this role.",
            ),
        ),
        migrations.AddConstraint(
            model_name="participantgroup",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("business_type", "other"), _negated=True),
                    models.Q(("business_type_other", ""), _negated=True),
                    _connector="OR",
                ),
                name="participants_group_other_business_described",
                violation_error_message="Describe the business when the type is 'Other'.",
            ),
        ),
    ]
