"""The shared cast of every app's tests — the people a group's cycle passes through — and groups and
grants at each step, built through the services as the portal and admin build them."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import services as assessment_services
from grants import services
from grants.demo import PDF, PNG
from grants.models import Disbursement, Document, PlaceFigures
from metro_slum import figures, roles
from participants.models import Membership, ParticipantGroup
from programme import selectors
from tests.assessments.helpers import reviewed_assessment, save_plan
from tests.conftest import fill_group
from tests.factories import GroupFactory, UserFactory


def pdf(name="proposal.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="foto.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class Cast:
    """The people a grant passes through: a social worker, two supervisors, a clerk."""

    def __init__(self, kelurahan):
        self.worker = UserFactory(username="pekerja", roles=[roles.SOCIAL_WORKER])
        self.worker.kelurahan_assignments.get_or_create(kelurahan=kelurahan)
        self.supervisor = UserFactory(username="kasi", is_staff=True, roles=[roles.SUPERVISOR])
        self.other_supervisor = UserFactory(
            username="kabid", is_staff=True, roles=[roles.SUPERVISOR]
        )
        self.staff = UserFactory(username="staf", is_staff=True, roles=[roles.ADMIN_STAFF])


def ready_group(cast, kelurahan, *, plan_lines=None, program=None):
    """A complete group with a reviewed assessment and a submitted action plan."""
    group = GroupFactory(kelurahan=kelurahan, **({"program": program} if program else {}))
    fill_group(group, 10)
    reviewed_assessment(group, cast.worker, cast.supervisor)
    save_plan(group, lines=plan_lines)
    assessment_services.action_plan_submit(group=group, by=cast.worker)
    return group


def draft_grant(cast, group, *, documents=True, at=None, **fields):
    fields.setdefault("bank_name", "Bank Lampung")
    fields.setdefault("bank_account_number", "0123-01-000456-50-1")
    fields.setdefault("bank_account_holder", group.name)
    grant = services.grant_create(group=group, by=cast.worker, at=at or DRAFTED_AT, **fields)
    if documents:
        for kind in Document.REQUIRED_FOR_SUBMISSION:
            services.document_upload(
                grant=grant, by=cast.worker, kind=kind, file=pdf(f"{kind}.pdf")
            )
    return grant


# The story the grant tests tell, as the demo's: prepared and proposed late in August, approved on
# the first of September, the money from the 15th (dates in order: metro_slum.chronology).
DRAFTED_AT = timezone.make_aware(datetime.datetime(2026, 8, 20, 10))
SUBMITTED_AT = timezone.make_aware(datetime.datetime(2026, 8, 25, 10))
APPROVED_AT = timezone.make_aware(datetime.datetime(2026, 9, 1, 10))


def submitted_grant(cast, group, *, at=SUBMITTED_AT, **fields):
    draft = draft_grant(cast, group, at=at - datetime.timedelta(days=5), **fields)
    return services.grant_submit(grant=draft, by=cast.worker, at=at)


def approved_grant(cast, group, *, at=APPROVED_AT, **fields):
    """A grant approved `at` (the first of September), proposed a week before."""
    submitted = submitted_grant(cast, group, at=at - datetime.timedelta(days=7), **fields)
    return services.grant_approve(grant=submitted, by=cast.supervisor, at=at)


def disburse(cast, grant, amount, reference="BAST/001", date=datetime.date(2026, 9, 15)):
    treasurer = grant.group.memberships.get(role=Membership.Role.BENDAHARA)
    return services.disbursement_record(
        grant=grant,
        by=cast.staff,
        date=date,
        amount=Decimal(amount),
        method=Disbursement.Method.TRANSFER,
        reference_number=reference,
        received_by=treasurer,
    )


def spend(cast, grant, amount, description="Panci", date=None):
    """Record a spending line with its receipt, as the social worker does after a tranche."""
    receipt = services.document_upload(
        grant=grant, by=cast.worker, kind=Document.Kind.RECEIPT, file=pdf("kuitansi.pdf")
    )
    return services.spending_line_add(
        grant=grant,
        by=cast.worker,
        description=description,
        # After the first tranche, as a receipt is.
        spent_on=date
        or max(datetime.date(2026, 9, 20), type(grant).objects.get(pk=grant.pk).first_tranche_on),
        actual_amount=Decimal(amount),
        receipt=receipt,
    )


def assert_kept_as_counted():
    """What was kept along the way equals a recount from the rows."""
    assert figures.drift() == []


def totals_of(program):
    groups = ParticipantGroup.objects.filter(program=program)
    totals = selectors.programme_totals(
        groups, PlaceFigures.objects.filter(program=program), program
    )
    return {
        "by_status": +totals.grants_by_status,
        "disbursed": totals.disbursed,
        "funded": totals.funded,
        "accounted": totals.accounted,
        "approved": totals.approved,
        "requested": totals.requested,
        "revenue": totals.revenue,
    }
