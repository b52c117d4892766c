"""The day each follow-up was noted, read off its first step (the step that opened it)."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def opened_from_first_step(apps, schema_editor):
    FollowUp = apps.get_model("families", "FollowUp")
    FollowUpEvent = apps.get_model("families", "FollowUpEvent")
    first = (
        FollowUpEvent.objects.filter(follow_up=OuterRef("pk"))
        .order_by()
        .values("follow_up")
        .annotate(day=Min("on"))
        .values("day")[:1]
    )
    with_steps = FollowUp.objects.filter(pk__in=FollowUpEvent.objects.values("follow_up"))
    with_steps.update(opened_on=Subquery(first))


class Migration(migrations.Migration):

    dependencies = [
        ('families', '0002_aid_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='followup',
            name='opened_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='noted on'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='opened_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='noted on'),
        ),
        migrations.RunPython(opened_from_first_step, migrations.RunPython.noop),
    ]
