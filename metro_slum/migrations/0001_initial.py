"""The export log and the waiting files, moved here from participants (participants.0018 renamed
their tables and kept their rows): only the state is created, and their content types follow, so
that the permissions given on them stay given."""

import django.db.models.deletion
import metro_slum.export_kinds
from django.conf import settings
from django.db import migrations, models


MOVED = ("exportrecord", "waitingfile")


def _move_content_types(apps, source, target):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        moving = content_types.objects.filter(app_label=source, model=model).first()
        if moving is None:
            continue
        # A type made for the new place by an earlier migrate holds nothing given by hand.
        content_types.objects.filter(app_label=target, model=model).delete()
        moving.app_label = target
        moving.save(update_fields=["app_label"])


def move_content_types(apps, schema_editor):
    _move_content_types(apps, "participants", "metro_slum")


def move_content_types_back(apps, schema_editor):
    _move_content_types(apps, "metro_slum", "participants")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0018_shared_records_move_to_metro_slum"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='WaitingFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64, unique=True, verbose_name='token')),
                ('kind', models.CharField(choices=[('unggahan', 'Uploaded list'), ('kesalahan', 'List of problems')], max_length=10, verbose_name='kind')),
                ('data', models.BinaryField(verbose_name='content')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='at')),
            ],
            options={
                'verbose_name': 'waiting file',
                'verbose_name_plural': 'waiting files',
            },
        ),
        migrations.CreateModel(
            name='ExportRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('kind', models.CharField(choices=metro_slum.export_kinds.export_kinds, max_length=20, verbose_name='list')),
                ('scope', models.CharField(max_length=300, verbose_name='scope')),
                ('file_format', models.CharField(max_length=10, verbose_name='format')),
                ('row_count', models.PositiveIntegerField(verbose_name='rows')),
                ('masked', models.BooleanField(verbose_name='identity numbers masked')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exports', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'export',
                'verbose_name_plural': 'export log',
                'ordering': ['-created_at'],
            },
        ),
        ]),
    ]
