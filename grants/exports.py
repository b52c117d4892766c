"""The grant list as XLSX or CSV, for the supervisors' desk."""

from django.utils.translation import gettext_lazy

from grants.models import Grant
from grants.selectors import grant_list
from metro_slum.export_kinds import export_kind
from metro_slum.exports import export_rows
from metro_slum.spreadsheets import DATE, MONEY, NUMBER, Column, Sheet
from metro_slum.spreadsheets.layout import indonesian_labels
from participants.exports import business_label
from participants.models import ParticipantGroup

# The kind of list this app takes out of the office, as the export log names it.
GRANTS = export_kind("grants", gettext_lazy("Grants"), "bantuan")

COLUMNS = (
    Column("No", 6, NUMBER),
    Column("Kelompok", 30),
    Column("Kelurahan", 18),
    Column("Kecamatan", 15),
    Column("Program", 30),
    Column("Jenis Usaha", 26),
    Column("Diajukan", 15, MONEY),
    Column("Disetujui", 15, MONEY),
    Column("Dicairkan", 15, MONEY),
    Column("Status", 24),
    Column("Status Sejak", 13, DATE),
)


def grants_export(*, user, queryset, scope_label: str, file_format: str = "xlsx"):
    businesses = indonesian_labels(ParticipantGroup.BusinessType)
    statuses = indonesian_labels(Grant.Status)
    grants = (
        grant_list()
        .filter(pk__in=queryset.values("pk"))
        .order_by("group__kelurahan__code")
        .values_list(
            "group__name",
            "group__kelurahan__name",
            "group__kelurahan__kecamatan__name",
            "program__name",
            "group__business_type",
            "group__business_type_other",
            "amount_requested",
            "amount_approved",
            "disbursed",
            "status",
            "status_changed_at",
        )
    )
    rows = (
        (
            number,
            group,
            kelurahan,
            kecamatan,
            program,
            business_label(business, other, businesses),
            requested,
            approved,
            disbursed,
            statuses[status],
            since.date(),
        )
        for number, (
            group,
            kelurahan,
            kecamatan,
            program,
            business,
            other,
            requested,
            approved,
            disbursed,
            status,
            since,
        ) in enumerate(grants.iterator(), start=1)
    )
    sheet = Sheet(
        name="Bantuan",
        title="Daftar Bantuan Modal Usaha",
        subtitle=f"{scope_label}. Dinas Sosial Kota Metro.",
        columns=COLUMNS,
    )
    return export_rows(
        user=user,
        kind=GRANTS,
        sheet=sheet,
        rows=rows,
        scope_label=scope_label,
        file_format=file_format,
    )
