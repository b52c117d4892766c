"""Who may join a group: the programme's desil limit, age at joining, occupations; a supervisor's
exception; a pending proposal for a household without a rank. One rule, asked by the portal, the
admin, the import and the grant's submission."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from participants import eligibility, services
from participants.models import Membership, Proposal, ProposalBatch
from participants.spreadsheet.importer import run_import
from tests.factories import GroupFactory, ParticipantFactory, record_rank

pytestmark = pytest.mark.django_db
JOINING = datetime.date(2026, 7, 25)


@pytest.fixture
def program(group):
    return group.program


def refusal(group, person, day=JOINING) -> str:
    before = group.memberships.count()
    with pytest.raises(ValidationError) as caught:
        services.membership_add(group=group, participant=person, joined_on=day)
    assert group.memberships.count() == before  # nothing written
    return " ".join(caught.value.messages)


def test_a_household_within_the_limit_joins(group):
    person = ParticipantFactory(rank=2)
    services.membership_add(group=group, participant=person, joined_on=JOINING)
    assert group.memberships.get().participant == person


def test_a_desil_above_the_limit_is_refused_with_its_reason(group):
    person = ParticipantFactory(rank=6)
    message = refusal(group, person)
    assert f"Desil 6 (per {datetime.date.today():%d/%m/%Y})" in message
    assert "program ini untuk desil 1–2" in message


def test_the_limit_is_the_programmes_own(group, program):
    program.max_desil = 5
    program.save()
    services.membership_add(group=group, participant=ParticipantFactory(rank=5))
    assert "desil 1–5" in refusal(group, ParticipantFactory(rank=6))


def test_a_household_without_a_rank_is_refused(group):
    message = refusal(group, ParticipantFactory(rank=False))
    assert "belum punya peringkat DTSEN" in message and "pengecualian" in message


def test_a_household_not_in_dtsen_is_refused(group):
    person = ParticipantFactory(rank=False)
    record_rank(person.kk_number, None, in_dtsen=False)
    assert "tidak ada di DTSEN" in refusal(group, person)


def test_a_stale_rank_never_counts_as_current(group, settings):
    person = ParticipantFactory(rank=False)
    record_rank(person.kk_number, 1, as_of=datetime.date.today() - datetime.timedelta(days=400))
    assert "terlalu lama" in refusal(group, person)
    record_rank(person.kk_number, 1)  # re-checked today
    services.membership_add(group=group, participant=person, joined_on=JOINING)


@pytest.mark.parametrize(
    "born, words",
    [
        (datetime.date(1966, 7, 24), "berusia 60"),  # 60 the day before joining
        (datetime.date(2008, 7, 26), "berusia 17"),  # 18 the day after
    ],
)
def test_age_at_joining_outside_18_to_59_is_refused(group, born, words):
    message = refusal(group, ParticipantFactory(birth_date=born))
    assert words in message and "usia 18–59" in message


def test_the_age_limits_are_inclusive(group):
    services.membership_add(
        group=group,
        participant=ParticipantFactory(birth_date=datetime.date(1966, 7, 26)),  # 59
        joined_on=JOINING,
    )
    services.membership_add(
        group=group,
        participant=ParticipantFactory(birth_date=datetime.date(2008, 7, 25)),  # 18 that day
        joined_on=JOINING,
    )
    assert group.memberships.count() == 2


@pytest.mark.parametrize("occupation", ["PNS", "Pensiunan PNS", "anggota polri", "TNI AD"])
def test_an_excluded_occupation_is_refused(group, occupation):
    assert "tidak menerima PNS, TNI, Polri, pensiunan" in refusal(
        group, ParticipantFactory(occupation=occupation)
    )


def test_an_occupation_only_resembling_one_is_not(group):
    trader = ParticipantFactory(occupation="Pedagang Polrianto")
    services.membership_add(group=group, participant=trader)
    services.membership_add(group=group, participant=ParticipantFactory(occupation="Penjahit"))
    assert group.memberships.count() == 2


def test_a_supervisors_exception_lets_the_person_join(group, program, cast):
    person = ParticipantFactory(rank=6)
    exception = eligibility.exception_grant(
        program=program,
        participant=person,
        reason="Kepala keluarga di-PHK Agustus 2026; diusulkan ke DTSEN triwulan ini.",
        by=cast.supervisor,
    )
    services.membership_add(group=group, participant=person, joined_on=JOINING)
    verdict = eligibility.verdict(program, person, JOINING)
    assert verdict.allowed and verdict.exception == exception and verdict.reasons


def test_only_a_supervisor_grants_an_exception_and_with_a_real_reason(program, cast):
    person = ParticipantFactory(rank=6)
    with pytest.raises(PermissionDenied):
        eligibility.exception_grant(
            program=program, participant=person, reason="x" * 30, by=cast.worker
        )
    with pytest.raises(ValidationError) as caught:
        eligibility.exception_grant(
            program=program, participant=person, reason="jatuh miskin", by=cast.supervisor
        )
    assert "reason" in caught.value.message_dict


def _proposal(person, by, *, status=Proposal.Status.PENDING, batch_status="sent"):
    batch = ProposalBatch.objects.create(
        kelurahan=person.kelurahan, deliberated_on=datetime.date(2026, 8, 1), place="Balai",
        chaired_by="Lurah", created_by=by, status=batch_status,
    )  # fmt: skip
    return Proposal.objects.create(
        batch=batch, nik=person.nik, kk_number=person.kk_number, full_name=person.full_name,
        address=person.address, rt=person.rt, rw=person.rw, participant=person,
        reason="Keluarga baru pindah, belum terdata.", created_by=by, status=status,
    )  # fmt: skip


def test_a_household_without_a_rank_joins_while_its_proposal_is_pending(group, cast):
    person = ParticipantFactory(rank=False)
    _proposal(person, cast.staff)
    services.membership_add(group=group, participant=person, joined_on=JOINING)
    assert eligibility.verdict(group.program, person, JOINING).pending_proposal


def test_a_proposal_does_not_lift_a_desil_too_high_or_once_answered(group, cast):
    ranked = ParticipantFactory(rank=6)
    _proposal(ranked, cast.staff)
    assert "Desil 6" in refusal(group, ranked)
    unranked = ParticipantFactory(rank=False)
    _proposal(unranked, cast.staff, status=Proposal.Status.NOT_ACCEPTED, batch_status="answered")
    assert "belum punya peringkat" in refusal(group, unranked)


def test_the_portal_shows_the_refusal_and_adds_nobody(worker_client, group):
    person = ParticipantFactory(rank=7, kelurahan=group.kelurahan)
    response = worker_client.post(
        reverse("participants:member_add", args=[group.pk]),
        {"participant": person.pk, "role": Membership.Role.ANGGOTA, "joined_on": "2026-07-25"},
    )
    assert response.status_code == 200
    assert "program ini untuk desil 1–2" in response.content.decode()
    assert not group.memberships.exists()


def test_the_import_refuses_an_ineligible_member_and_writes_nothing(cast, group):
    person = ParticipantFactory(rank=9, kelurahan=group.kelurahan)
    workbook = Workbook()
    ws = workbook.active
    ws.append(["NIK", "No. KK", "Nama Lengkap", "L/P", "Tempat Lahir", "Tanggal Lahir", "Alamat",
               "RT", "RW", "Kelurahan", "Program", "Kelompok", "Jabatan"])  # fmt: skip
    ws.append([person.nik, person.kk_number, person.full_name, "L", "Metro", "12/08/1985",
               person.address, "003", "002", group.kelurahan.name, group.program.name,
               group.name, "Anggota"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import(SimpleUploadedFile("p.xlsx", buffer.getvalue()), user=cast.staff,
                        dry_run=False)  # fmt: skip
    assert not result.ok
    assert any("Desil 9" in error.message for error in result.errors)
    assert not group.memberships.exists()


def test_the_group_page_shows_each_members_exception(worker_client, group, cast):
    person = ParticipantFactory(rank=4, kelurahan=group.kelurahan)
    eligibility.exception_grant(
        program=group.program, participant=person,
        reason="Rumah terbakar Juli 2026; diusulkan perbaikan desil.", by=cast.supervisor,
    )  # fmt: skip
    services.membership_add(group=group, participant=person, joined_on=JOINING)
    html = worker_client.get(reverse("group", args=[group.pk])).content.decode()
    assert "Pengecualian" in html and "Rumah terbakar Juli 2026" in html
    person_page = worker_client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Rumah terbakar Juli 2026" in person_page


def test_the_grant_submission_checks_again(cast, planned_group):
    from tests.cast import draft_grant

    member = planned_group.memberships.first().participant
    record_rank(member.kk_number, 5)  # the household's rank moved after they joined
    grant = draft_grant(cast, planned_group)
    from grants import services as grant_services

    with pytest.raises(ValidationError) as caught:
        grant_services.grant_submit(grant=grant, by=cast.worker)
    assert f"Desil 5 (per {datetime.date.today():%d/%m/%Y})" in " ".join(caught.value.messages)


def test_verdicts_take_a_few_queries_whatever_the_number(django_assert_num_queries, program):
    few = [(ParticipantFactory(), JOINING) for _ in range(2)]
    many = few + [(ParticipantFactory(), JOINING) for _ in range(20)]
    with django_assert_num_queries(3):
        eligibility.verdicts(program, few)
    with django_assert_num_queries(3):
        eligibility.verdicts(program, many)


def test_a_group_of_another_programme_has_its_own_limit(group):
    other = GroupFactory(kelurahan=group.kelurahan)
    other.program.max_desil = 6
    other.program.save()
    person = ParticipantFactory(rank=6)
    services.membership_add(group=other, participant=person, joined_on=JOINING)
    assert other.memberships.count() == 1
