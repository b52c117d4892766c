"""Proposals to the national data (SIKS-NG usulan): checked, sent as a kelurahan's batch with its
BNBA list, minutes and the mayor's letter, and answered by the next DTSEN list.

The admin, the portal and the DTSEN import all record and answer proposals here.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metro_slum.export_kinds import export_kind
from metro_slum.exports import export_rows
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets import TEXT
from metro_slum.spreadsheets.writing import Column, Sheet
from participants.identity import mask
from participants.models import Proposal, ProposalBatch
from participants.models.proposals import VERIFICATION_QUESTIONS
from participants.quarters import quarter_of

BNBA = export_kind("bnba", gettext_lazy("BNBA proposal list"), "bnba_usulan")

# The by-name-by-address list SIKS-NG asks for; identity numbers and area codes as text.
BNBA_COLUMNS = (
    Column("No", 5), Column("NIK", 19, TEXT), Column("No. KK", 19, TEXT),
    Column("Nama", 28), Column("Alamat", 30), Column("RT", 5, TEXT), Column("RW", 5, TEXT),
    Column("Kode Kelurahan", 13, TEXT), Column("Kelurahan", 18),
    Column("Kode Kecamatan", 13, TEXT), Column("Kecamatan", 15),
    Column("Jenis Usulan", 16), Column("Desil Usulan", 8), Column("Alasan", 50),
    Column("Pra-saring Dinas (bukan instrumen resmi)", 60),
)  # fmt: skip
PAGE_ROWS = 20  # people per printed page of the minutes


def proposal_save(*, proposal: Proposal, by) -> Proposal:
    """Check and save one proposal: its batch still being prepared, its identity, and for a
    participant the register's identity (nothing retyped)."""
    if not by.has_perm("participants.add_proposal"):
        raise PermissionDenied(_("You may not propose households to DTSEN."))
    # Read afresh: a page opened before the batch was sent must not add to it.
    if not ProposalBatch.objects.filter(
        pk=proposal.batch_id, status=ProposalBatch.Status.DRAFT
    ).exists():
        raise ValidationError(
            _("This batch has been sent: add the proposal to a new batch of the kelurahan."),
            code="batch_sent",
        )
    person = proposal.participant
    if person is not None:
        for name in ("nik", "kk_number", "full_name", "address", "rt", "rw"):
            if not getattr(proposal, name):
                setattr(proposal, name, getattr(person, name))
    if proposal.kind == Proposal.Kind.CORRECTION and proposal.proposed_desil is None:
        raise ValidationError(
            {"proposed_desil": _("A correction names the desil the office believes right.")}
        )
    if proposal.pk is None:
        proposal.created_by = by
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def batch_send(*, batch: ProposalBatch, by, on=None) -> ProposalBatch:
    """The mayor has signed: the batch goes to the ministry and waits for its answer."""
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    if not by.has_perm("participants.change_proposalbatch"):
        raise PermissionDenied
    if batch.status != ProposalBatch.Status.DRAFT:
        raise ValidationError(_("This batch has already been sent."), code="batch_sent")
    if not batch.proposals.exists():
        raise ValidationError(_("The batch has no proposal yet: add one first."), code="empty")
    batch.status = ProposalBatch.Status.SENT
    batch.sent_on = on or timezone.localdate()
    if batch.sent_on < batch.deliberated_on:
        raise ValidationError(
            _("A batch is sent after its musyawarah (%(day)s), not before.")
            % {"day": f"{batch.deliberated_on:%d/%m/%Y}"},
            code="sent_before_deliberation",
        )
    batch.full_clean()
    batch.save()
    return batch


def answer_from_list(*, readings: dict, kelurahan_ids: Iterable[int], quarter: str) -> int:
    """A DTSEN list for `quarter` arrived with `readings` ({No. KK: desil}) for the kelurahan named:
    every pending proposal of theirs sent in an earlier quarter is answered. A new entry is
    accepted when its household appears, a correction when it appears with the desil proposed
    (or a lower one), a removal when it is gone. Return how many were answered."""
    pending = list(
        Proposal.objects.filter(
            status=Proposal.Status.PENDING,
            batch__status=ProposalBatch.Status.SENT,
            batch__kelurahan_id__in=list(kelurahan_ids),
        ).select_related("batch")
    )
    answered, batches = [], set()
    for proposal in pending:
        if quarter_of(proposal.batch.sent_on) >= quarter:
            continue  # sent in the list's own quarter or later: not answered by it
        desil = readings.get(proposal.kk_number)
        if proposal.kind == Proposal.Kind.NEW:
            accepted = desil is not None
        elif proposal.kind == Proposal.Kind.CORRECTION:
            accepted = desil is not None and desil <= proposal.proposed_desil
        else:
            accepted = desil is None
        proposal.status = Proposal.Status.ACCEPTED if accepted else Proposal.Status.NOT_ACCEPTED
        proposal.answered_quarter = quarter
        answered.append(proposal)
        batches.add(proposal.batch_id)
    Proposal.objects.bulk_update(answered, ["status", "answered_quarter"])
    ProposalBatch.objects.filter(pk__in=batches).update(
        status=ProposalBatch.Status.ANSWERED, answered_quarter=quarter
    )
    return len(answered)


def _verification_words(proposal: Proposal) -> str:
    answers = proposal.verification or {}
    said = [
        f"{label}: {'ya' if answers[key] else 'tidak'}"
        for key, label in VERIFICATION_QUESTIONS
        if answers.get(key) is not None
    ]
    return "; ".join(str(s) for s in said)


def bnba_rows(batch: ProposalBatch, user):
    shown = (lambda number: number) if may_see_full_numbers(user) else mask
    kelurahan = batch.kelurahan
    for number, proposal in enumerate(batch.proposals.order_by("full_name", "pk"), start=1):
        yield (
            number, shown(proposal.nik), shown(proposal.kk_number), proposal.full_name,
            proposal.address, proposal.rt, proposal.rw, kelurahan.code, kelurahan.name,
            kelurahan.kecamatan.code, kelurahan.kecamatan.name,
            str(Proposal.Kind(proposal.kind).label), proposal.proposed_desil or "",
            proposal.reason, _verification_words(proposal),
        )  # fmt: skip


def bnba_export(*, batch: ProposalBatch, user):
    """The batch's BNBA list as XLSX, recorded in the export log like every list."""
    sheet = Sheet(
        name="BNBA",
        title=f"Daftar BNBA Usulan DTSEN – Kelurahan {batch.kelurahan.name}",
        subtitle=(
            f"Musyawarah kelurahan {batch.deliberated_on:%d/%m/%Y}, {batch.place}; "
            f"Dinas Sosial Kota Metro"
        ),
        columns=BNBA_COLUMNS,
    )
    return export_rows(
        user=user,
        kind=BNBA,
        sheet=sheet,
        rows=bnba_rows(batch, user),
        scope_label=f"Kelurahan {batch.kelurahan.name} {batch.deliberated_on:%Y-%m-%d}",
        file_format="xlsx",
    )


def pages(batch: ProposalBatch) -> list[list[tuple[int, Proposal]]]:
    """The batch's proposals, numbered, in pages of PAGE_ROWS, as the minutes print them."""
    numbered = list(enumerate(batch.proposals.order_by("full_name", "pk"), start=1))
    return [numbered[i : i + PAGE_ROWS] for i in range(0, len(numbered), PAGE_ROWS)] or [[]]
