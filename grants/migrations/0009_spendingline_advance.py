"""A spending line bought before the first tranche: marked as an advance, with its reason."""

from django.db import migrations, models


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
    ]
