from django.core.management.base import BaseCommand

from participants import demo


class Command(BaseCommand):
    help = "Load the demo programme, its five groups of ten and the demo accounts (safe to rerun)."

    def handle(self, *args, **options):
        result = demo.load()
        self.stdout.write(self.style.SUCCESS(f"Program: {result['program']}"))
        for group in result["groups"]:
            count = group.memberships.count()
            self.stdout.write(f"  {group.kelurahan.name}: {group.name} – {count} anggota")
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                f"Akun demo (kata sandi untuk semua: {demo.DEMO_PASSWORD}) – hanya untuk demo, "
                "jangan dipakai di server kantor:"
            )
        )
        for username, role in result["accounts"]:
            self.stdout.write(f"  {username:<12} {role}")
