"""Indexes that keep the participant lists fast at a province's size.

The ordered lists read (name, id) and (kelurahan, name, id) indexes. On PostgreSQL, a trigram index
(pg_trgm) serves the admin's name search, which Django writes as UPPER(full_name) LIKE '%…%'; on
SQLite that step does nothing.
"""

from django.db import migrations, models

TRIGRAM_INDEX = "participant_name_trgm"


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON participants_participant "
        "USING gin ((UPPER(full_name::text)) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0010_full_name_starts_with_a_letter")]

    operations = [
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["full_name", "id"], name="participant_name_order"),
        ),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(
                fields=["kelurahan", "full_name", "id"], name="participant_place_name"
            ),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
