"""The export log and the waiting files become metro_slum's (the records every app shares): their
tables are renamed, their rows kept; metro_slum.0001 takes them into its state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0017_numbers_as_digits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("exportrecord", "metro_slum_exportrecord"),
                migrations.AlterModelTable("waitingfile", "metro_slum_waitingfile"),
            ],
            state_operations=[
                migrations.DeleteModel("ExportRecord"),
                migrations.DeleteModel("WaitingFile"),
            ],
        ),
    ]
