from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from metro_slum import chronology


class Command(BaseCommand):
    help = (
        "List the stored records whose dates are out of order by the rules of "
        "metro_slum/chronology.py (a tranche before its approval, a visit before the money...). "
        "Nothing is changed: each record is corrected by a person, through its page."
    )

    def handle(self, *args, **options):
        found = 0
        for breach in chronology.breaches():
            found += 1
            record = breach.record
            place = chronology.group_place(breach.rule, record)
            self.stdout.write(
                f"{record._meta.verbose_name} #{record.pk} «{record}»"
                + (f" – {place}" if place else "")
                + f": {breach.message}"
            )
        if found:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d records with dates out of order.") % {"count": found}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Every record's dates are in order.")))
