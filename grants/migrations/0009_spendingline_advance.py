"""A spending line bought before the first tranche: marked as an advance, with its reason.

And a request sent again after a rejection waits for a new decision: the rejection it carried as
its decision stays in the grant's history only (as grants.services.grant_submit now does)."""

from django.db import migrations, models


def resubmitted_wait_for_a_decision(apps, schema_editor):
    Grant = apps.get_model("grants", "Grant")
    Grant.objects.filter(status="submitted", decided_at__isnull=False).update(
        decided_at=None, decided_by=None
    )


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0008_place_figures'),
    ]

    operations = [
        migrations.AddField(
            model_name='spendingline',
            name='advance_reason',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, verbose_name='why it was bought before the money came'),
        ),
        migrations.AddField(
            model_name='spendingline',
            name='is_advance',
            field=models.BooleanField(db_default=False, default=False, verbose_name='advance'),
        ),
        migrations.RunPython(resubmitted_wait_for_a_decision, migrations.RunPython.noop),
    ]
