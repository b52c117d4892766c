"""The aid import in django-import-export's admin pages, with the project's importer doing the
work, exactly as for participants (see participants.resources)."""

import io

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Error, InvalidRow, Result, RowResult

from families import importer
from families.models import Aid
from metro_slum.formatting import quantity, rupiah
from participants.identity import mask


class _Header:
    def __init__(self, column_name):
        self.column_name = column_name


class AidResource(resources.ModelResource):
    class Meta:
        model = Aid
        fields = ("participant", "kind", "source", "received_on", "value", "quantity", "note")

    def get_user_visible_fields(self):
        return [_Header(h) for h in importer.AID_HEADERS.values()]

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        result = Result()
        name = kwargs.get("file_name") or "bantuan.xlsx"
        try:
            outcome = importer.run_aid_import(
                File(io.BytesIO(dataset.data), name=name), user=kwargs.get("user"), dry_run=dry_run
            )
        except importer.ImportRefused as refusal:
            result.append_base_error(Error(refusal))
            return result
        result.outcome = outcome
        if outcome.errors:
            result.diff_headers = [_("Column"), _("Value")]
            for error in outcome.shown_errors:
                result.invalid_rows.append(
                    InvalidRow(
                        number=error.row,
                        validation_error=ValidationError({error.column or "—": [error.message]}),
                        values=(error.column, error.value),
                    )
                )
            return result
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
        result.total_rows = outcome.rows
        return result
