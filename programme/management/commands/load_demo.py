from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments import demo as assessments_demo
from complaints import demo as complaints_demo
from families import demo as families_demo
from grants import demo as grants_demo
from participants import demo, demo_dtsen
from programme import selectors
from slums import demo as slums_demo


class Command(BaseCommand):
    help = (
        "Load the demo programme, its five groups of ten and the demo accounts (safe to rerun). "
        "Accounts that exist already are left as they are, password included."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="load even though DEBUG is off (a demo server run with production settings)",
        )

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                _(
                    "DEBUG is off: this looks like the office's server. The demo adds made-up "
                    "participants and accounts with a known password. Nothing was loaded. On a "
                    "demo server with production settings, run it with --allow-without-debug."
                )
            )
        result = demo.load()
        assessments_demo.load(result["pilot_groups"], assessments_demo.PILOT_STATES)
        grants_demo.load(result["pilot_groups"], grants_demo.PILOT_STATES)
        assessments_demo.load(result["groups"])
        grants_demo.load(result["groups"])
        families_demo.load(result["groups"], result["pilot_groups"])
        # Last: the DTSEN lists find the pilot's households risen since their grant.
        demo_dtsen.load(result["pilot"], result["program"], result["waiting"], result["staff"])
        public_complaint = complaints_demo.load(result["groups"])
        slums_demo.load()
        for program, groups in ((result["pilot"], result["pilot_groups"]),
                                (result["program"], result["groups"])):  # fmt: skip
            self._describe(program, groups)
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                f"Akun demo (kata sandi untuk semua: {demo.DEMO_PASSWORD}) – hanya untuk demo, "
                "jangan dipakai di server kantor:"
            )
        )
        for username, role, created in result["accounts"]:
            kept = "" if created else _(" (already there: left as it was, password unchanged)")
            self.stdout.write(f"  {username:<12} {role}{kept}")
        if public_complaint is not None:
            self.stdout.write(
                f"Pengaduan publik demo: /pengaduan/cek/ nomor {public_complaint.number}, "
                f"kode {complaints_demo.DEMO_CODE}"
            )

    def _describe(self, program, groups):
        self.stdout.write(self.style.SUCCESS(f"Program: {program}"))
        for group in groups:
            count = group.memberships.count()
            stage = selectors.with_stages(selectors.group_rows().filter(pk=group.pk))[0].stage.label
            grant = group.grants.first()
            grant_status = grant.get_status_display() if grant else "–"
            self.stdout.write(
                f"  {group.kelurahan.name}: {group.name} – {count} anggota – {stage}"
                f" – {grant_status}"
            )
