"""The survey sheet's import in django-import-export's admin pages, with the project's importer
doing the work, exactly as for participants and aid (metro_slum.spreadsheets.admin_import)."""

from django.utils.translation import gettext as _
from import_export.results import RowResult

from metro_slum.spreadsheets.admin_import import ProjectResource
from slums import importer
from slums.models import Survey


class SurveyResource(ProjectResource):
    headers = tuple(column.header for column in importer.FIXED)
    default_name = "survei_kumuh.xlsx"
    run = staticmethod(importer.run_survey_import)

    class Meta:
        model = Survey
        fields = ("rt", "surveyed_on", "surveyor")

    def preview(self, result, outcome) -> None:
        result.diff_headers = [
            _("Row"),
            _("RT"),
            _("Kelurahan"),
            _("Surveyed on"),
            _("Score"),
            _("Class"),
        ]
        for entry in outcome.preview:
            row = RowResult()
            row.import_type = RowResult.IMPORT_TYPE_NEW
            row.diff = [
                entry.number,
                entry.rt.label,
                entry.rt.rw.kelurahan.name,
                f"{entry.survey.surveyed_on:%d/%m/%Y}",
                entry.score,
                entry.class_label,
            ]
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
