from django.core.management.base import BaseCommand

from participants import uploads


class Command(BaseCommand):
    help = "Delete uploaded participant lists left behind by imports that were never confirmed."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=6, help="age after which to delete")

    def handle(self, *args, hours, **options):
        removed = uploads.remove_older_than(hours)
        self.stdout.write(f"{removed} berkas impor lama dihapus.")
