from django.core.management.base import BaseCommand

from programme import privacy


class Command(BaseCommand):
    help = (
        "Anonymise participants whose programmes ended more than --years ago and delete those "
        "programmes' KTP copies; grants, counts and amounts stay. See docs/privasi.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="retention period (default 5)")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count who would be anonymised"
        )

    def handle(self, *args, years, dry_run, **options):
        if years < 1:
            self.stderr.write("--years must be at least 1.")
            return
        if dry_run:
            count = privacy.past_retention(years).count()
            self.stdout.write(f"{count} peserta akan dianonimkan (masa simpan {years} tahun).")
            return
        people, documents = privacy.anonymise_past_retention(years=years)
        self.stdout.write(
            self.style.SUCCESS(
                f"{people} peserta dianonimkan, {documents} salinan KTP dihapus "
                f"(masa simpan {years} tahun)."
            )
        )
