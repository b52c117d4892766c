from django.core.management.base import BaseCommand

from assessments import demo as assessments_demo
from assessments.selectors import group_stage
from grants import demo as grants_demo
from participants import demo, selectors


class Command(BaseCommand):
    help = "Load the demo programme, its five groups of ten and the demo accounts (safe to rerun)."

    def handle(self, *args, **options):
        result = demo.load()
        assessments_demo.load(result["groups"])
        grants_demo.load(result["groups"])
        self.stdout.write(self.style.SUCCESS(f"Program: {result['program']}"))
        for group in result["groups"]:
            count = group.memberships.count()
            stage = group_stage(selectors.group_list().get(pk=group.pk)).label
            grant = group.grants.first()
            grant_status = grant.get_status_display() if grant else "–"
            self.stdout.write(
                f"  {group.kelurahan.name}: {group.name} – {count} anggota – {stage}"
                f" – {grant_status}"
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                f"Akun demo (kata sandi untuk semua: {demo.DEMO_PASSWORD}) – hanya untuk demo, "
                "jangan dipakai di server kantor:"
            )
        )
        for username, role in result["accounts"]:
            self.stdout.write(f"  {username:<12} {role}")
