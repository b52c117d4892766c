"""The participant import in django-import-export's admin pages, with the project's importer
(participants.spreadsheet.importer) doing the work (metro_slum.spreadsheets.admin_import)."""

from django.utils.translation import gettext as _
from import_export.results import RowResult

from metro_slum.spreadsheets.admin_import import ProjectResource
from participants.models import HouseholdRank, Participant
from participants.spreadsheet import dtsen, importer
from participants.spreadsheet.layout import HEADER_LABELS, PERSON_FIELDS


class ParticipantResource(ProjectResource):
    """Participants matched on NIK; the columns are those of the project's export and template."""

    headers = tuple(HEADER_LABELS.values())
    run = staticmethod(importer.run_import)

    class Meta:
        model = Participant
        import_id_fields = ("nik",)
        fields = PERSON_FIELDS

    def preview(self, result, outcome) -> None:
        # The list's own headers for its columns, the page's words for the others.
        result.diff_headers = [
            _("Row"),
            HEADER_LABELS["nik"],
            HEADER_LABELS["full_name"],
            HEADER_LABELS["kelurahan"],
            _("Changes"),
        ]
        for entry in outcome.preview:
            row = RowResult()
            row.import_type = (
                RowResult.IMPORT_TYPE_NEW if entry.kind == "baru" else RowResult.IMPORT_TYPE_UPDATE
            )
            person = entry.person
            changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in entry.changes)
            row.diff = [
                entry.number,
                person.nik,
                person.full_name,
                person.kelurahan.name,
                changes or _("new participant"),
            ]
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = outcome.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] = outcome.unchanged


class DtsenListResource(ProjectResource):
    """A DTSEN list: ranks recorded by household, residents not in the programme listed."""

    headers = tuple(dtsen.DTSEN_HEADERS.values())
    default_name = "dtsen.xlsx"
    run = staticmethod(dtsen.run_dtsen_import)
    run_options = ("as_of", "desil_from", "desil_to")

    class Meta:
        model = HouseholdRank
        fields = ("kk_number", "desil", "as_of", "dtsen_id")

    def preview(self, result, outcome) -> None:
        result.diff_headers = [
            _("Row"),
            "NIK",
            dtsen.DTSEN_HEADERS["full_name"],
            dtsen.DTSEN_HEADERS["kelurahan"],
            _("DTSEN rank"),
            _("What the import does"),
        ]
        for entry in outcome.preview:
            row = RowResult()
            row.import_type = (
                RowResult.IMPORT_TYPE_NEW if entry.recorded else RowResult.IMPORT_TYPE_SKIP
            )
            outcome_words = entry.outcome + (f" ({entry.note})" if entry.note else "")
            row.diff = [
                entry.number, entry.nik, entry.full_name, entry.kelurahan, entry.reading,
                outcome_words,
            ]  # fmt: skip
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = outcome.ranks_recorded
        result.totals[RowResult.IMPORT_TYPE_SKIP] = outcome.ranks_unchanged
