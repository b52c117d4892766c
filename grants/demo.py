"""Demo grants, one in each state the supervisors' desk shows.

Hadimulyo Barat: disbursed in two tranches, accounted for with receipts, monitored for three months.
Iringmulyo: approved, awaiting disbursement. Rejomulyo: submitted, awaiting a decision. Ganjar Asri:
rejected with a reason, then revised. Karangrejo: still a draft. In the 2025 pilot, Hadimulyo
Barat's grant was monitored for three months and closed; Rejomulyo's was disbursed and its
accountability report is still incomplete. Written through the services, so the demo passes every
gate real grants pass.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from grants import services
from grants.models import Disbursement, Document, Grant, MonitoringVisit
from participants.models import Membership

# The smallest files that are what they claim to be: a one-page PDF and a 1×1 PNG.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63906c0ff90f0003a501f4ce42ccbc0000000049454e44ae426082"
)

BANKS = {
    "1872011004": "0123-01-000456-50-1",
    "1872041003": "0123-01-000457-50-2",
    "1872051001": "0123-01-000458-50-3",
    "1872031004": "0123-01-000459-50-4",
    "1872021003": "0123-01-000460-50-5",
}
PILOT_STATES = {"1872011004": "closed", "1872051001": "disbursed"}
STATES = {
    "1872011004": "accounted",
    "1872041003": "approved",
    "1872051001": "submitted",
    "1872031004": "rejected",
    "1872021003": "draft",
}


def _day(grant, month, day):
    return datetime.date(grant.program.year, month, day)


def _at(group, month, day):
    """A moment of the story, at ten in the morning: the steps are dated when they happened."""
    moment = datetime.datetime(group.program.year, month, day, 10)
    return timezone.make_aware(moment)


def _documents(grant, by):
    for kind in Document.REQUIRED_FOR_SUBMISSION:
        services.document_upload(
            grant=grant, by=by, kind=kind, file=ContentFile(PDF, name=f"{kind}.pdf")
        )


def _disbursed(grant, staff, worker, *, tranches=2, receipts=None, first_number=1):
    """Hand the money over in tranches and record the spending (all RAB lines, or `receipts`)."""
    treasurer = grant.group.memberships.get(role=Membership.Role.BENDAHARA)
    first = (grant.amount_approved * Decimal("0.6")).quantize(Decimal("1000"))
    year = grant.program.year
    plan = (
        (_day(grant, 9, 15), first, f"BAST/{year}/DINSOS/{first_number:03d}"),
        (
            _day(grant, 10, 15),
            grant.amount_approved - first,
            f"BAST/{year}/DINSOS/{first_number + 1:03d}",
        ),
    )
    for date, amount, number in plan[:tranches]:
        services.disbursement_record(
            grant=grant,
            by=staff,
            date=date,
            amount=amount,
            method=Disbursement.Method.TRANSFER,
            reference_number=number,
            received_by=treasurer,
        )
    lines = list(grant.action_plan.budget_lines.all())
    for index, line in enumerate(lines[:receipts]):
        receipt = services.document_upload(
            grant=grant,
            by=worker,
            kind=Document.Kind.RECEIPT,
            file=ContentFile(PNG, name=f"kuitansi-{index + 1}.png"),
        )
        services.spending_line_add(
            grant=grant,
            by=worker,
            description=line.item,
            spent_on=_day(grant, 10, 20),
            actual_amount=line.line_total,
            budget_line=line,
            receipt=receipt,
        )


def _accounted(grant, staff, supervisor, worker):
    _disbursed(grant, staff, worker)
    services.grant_mark_accounted(grant=grant, by=supervisor, note="LPJ lengkap dengan kuitansi.")
    for date, status, revenue, profit, active, problems in (
        (_day(grant, 9, 30), MonitoringVisit.BusinessStatus.RUNNING, 1_800_000, 450_000, 10, ""),
        (_day(grant, 10, 31), MonitoringVisit.BusinessStatus.STRUGGLING, 1_500_000, 250_000, 9,
         "Harga kunyit naik; satu anggota pindah kerja."),
        (_day(grant, 11, 25), MonitoringVisit.BusinessStatus.RUNNING, 2_400_000, 700_000, 9,
         "Pesanan dari warung bertambah."),
    ):  # fmt: skip
        services.monitoring_visit_record(
            grant=grant,
            by=worker,
            visit_date=date,
            business_status=status,
            monthly_revenue=Decimal(revenue),
            monthly_profit=Decimal(profit),
            active_members=active,
            problems=problems,
            follow_up="Pendampingan pencatatan keuangan." if problems else "",
        )


@transaction.atomic
def load(groups, states=STATES) -> None:
    User = get_user_model()
    worker = User.objects.get(username="pekerja")
    supervisor = User.objects.get(username="supervisor")
    staff = User.objects.get(username="staf")
    for group in groups:
        if Grant.objects.filter(group=group, program=group.program).exists():
            continue
        state = states[group.kelurahan.code]
        grant = services.grant_create(
            group=group,
            by=worker,
            at=_at(group, 8, 20),
            bank_name="Bank Lampung" if state != "draft" else "",
            bank_account_number=BANKS[group.kelurahan.code] if state != "draft" else "",
            bank_account_holder=group.name if state != "draft" else "",
        )
        if state == "draft":
            continue
        _documents(grant, worker)
        grant = services.grant_submit(grant=grant, by=worker, at=_at(group, 8, 25))
        if state == "submitted":
            continue
        if state == "rejected":
            grant = services.grant_reject(
                grant=grant,
                by=supervisor,
                at=_at(group, 9, 1),
                reason="Harga oven dalam RAB di atas harga pasar; lampirkan dua pembanding harga.",
            )
            services.grant_update(
                grant=grant,
                by=worker,
                amount_requested=grant.amount_requested - Decimal(1_000_000),
                purpose=grant.purpose + " (direvisi: oven dengan harga pembanding)",
            )
            continue
        grant = services.grant_approve(
            grant=grant, by=supervisor, note="Sesuai RAB.", at=_at(group, 9, 1)
        )
        if state == "disbursed":
            _disbursed(grant, staff, worker, tranches=1, receipts=1, first_number=3)
        if state in ("accounted", "closed"):
            _accounted(grant, staff, supervisor, worker)
        if state == "closed":
            services.grant_close(
                grant=grant,
                by=supervisor,
                note="Usaha berjalan mandiri setelah tiga bulan pemantauan; pendampingan selesai.",
            )
