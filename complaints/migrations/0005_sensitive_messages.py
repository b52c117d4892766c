"""Messages already sent about a sensitive complaint are marked as such: from now on the message
log shows them only to those who see sensitive complaints."""

from django.db import migrations


def mark_sensitive_messages(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Message = apps.get_model("participants", "Message")
    for pk in Complaint.objects.filter(sensitive=True).values_list("pk", flat=True).iterator():
        Message.objects.filter(key__startswith=f"complaint:{pk}:").update(sensitive=True)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_rate_limit_table"),
        ("participants", "0025_message_sensitive_phone_numbers"),
    ]

    operations = [migrations.RunPython(mark_sensitive_messages, migrations.RunPython.noop)]
