"""The deadlines the office starts with, in working days (staff change them in admin).

SP4N-LAPOR asks an agency for a first answer within five working days; money that did not arrive
whole, a fee asked and anything sensitive are answered sooner.
"""

from django.db import migrations

# category: (first answer, resolution), working days. A frozen copy: never read live code here.
DEADLINES = {
    "not_received": (3, 10),
    "amount_cut": (3, 10),
    "illegal_fee": (2, 10),
    "wrong_targeting": (5, 20),
    "wrong_data": (5, 20),
    "service": (5, 14),
    "harassment": (1, 10),
    "staff_fee": (1, 10),
    "other": (5, 20),
}


def seed(apps, schema_editor):
    Deadline = apps.get_model("complaints", "ComplaintDeadline")
    for category, (answer, resolve) in DEADLINES.items():
        Deadline.objects.get_or_create(
            category=category,
            defaults={"first_answer_days": answer, "resolution_days": resolve},
        )


def unseed(apps, schema_editor):
    apps.get_model("complaints", "ComplaintDeadline").objects.filter(
        category__in=DEADLINES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints")]

    operations = [migrations.RunPython(seed, unseed)]
