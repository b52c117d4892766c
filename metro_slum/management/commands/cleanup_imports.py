from django.core.management.base import BaseCommand

from metro_slum.spreadsheets import waiting


class Command(BaseCommand):
    help = "Delete uploaded lists, and lists of their problems, of imports never confirmed."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=6, help="age after which to delete")

    def handle(self, *args, hours, **options):
        removed = waiting.remove_older_than(hours)
        self.stdout.write(f"{removed} berkas impor lama dihapus.")
