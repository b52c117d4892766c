"""The aid import in django-import-export's admin pages, with the project's importer doing the
work, exactly as for participants (metro_slum.spreadsheets.admin_import)."""

from django.utils.translation import gettext as _
from import_export.results import RowResult

from families import importer
from families.models import Aid
from metro_slum.formatting import quantity, rupiah
from metro_slum.spreadsheets.admin_import import ProjectResource
from participants.identity import mask


class AidResource(ProjectResource):
    headers = tuple(importer.AID_HEADERS.values())
    default_name = "bantuan.xlsx"
    run = staticmethod(importer.run_aid_import)

    class Meta:
        model = Aid
        fields = ("participant", "kind", "source", "received_on", "value", "quantity", "note")

    def preview(self, result, outcome) -> None:
        result.diff_headers = [
            _("Row"),
            "NIK",
            _("Name"),
            _("Kind of aid"),
            _("Date"),
            _("Value / quantity"),
            _("Possible double"),
        ]
        for entry in outcome.preview:
            row = RowResult()
            row.import_type = RowResult.IMPORT_TYPE_NEW
            aid = entry.aid
            amount = " ".join(
                part
                for part in (
                    rupiah(aid.value) if aid.value is not None else "",
                    f"{quantity(aid.quantity)} {aid.kind.in_kind_unit}".strip()
                    if aid.quantity is not None
                    else "",
                )
                if part
            )
            row.diff = [
                entry.number,
                mask(entry.person.nik),
                entry.person.full_name,
                aid.kind.name,
                f"{aid.received_on:%d/%m/%Y}",
                amount,
                entry.double,
            ]
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
