from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from metro_slum import figures


class Command(BaseCommand):
    help = (
        "Compare every kept figure (rosters, grants' money and dates, drafts' requests, "
        "households reached, grant figures by kelurahan) with a recount of its rows and list "
        "where they differ; with --repair, recount them all (metro_slum/figures.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Recount every kept figure from its rows."
        )

    def handle(self, *args, repair, **options):
        found = figures.drift()
        for line in found:
            self.stdout.write(line)
        if found and repair:
            with transaction.atomic():
                figures.recount_all()
            found = figures.drift()
            self.stdout.write(self.style.SUCCESS(_("Every kept figure was recounted.")))
        if found:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d kept figures differ from a recount; run with --repair.")
                    % {"count": len(found)}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Every kept figure equals a recount.")))
