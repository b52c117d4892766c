"""Proposals to the national data (SIKS-NG usulan): data changes, checked, sent as a kelurahan's
batch with its BNBA list, its minutes or SPTJM and its letter, and read back from the DTSEN lists
that follow.

The admin and the DTSEN import record and read proposals here.
"""

import textwrap

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
from participants.models.office import dtsen_setting
from participants.models.proposals import CORRECTABLE_FIELDS, VERIFICATION_QUESTIONS

BNBA = export_kind("bnba", gettext_lazy("BNBA proposal list"), "bnba_usulan")

# The by-name-by-address list SIKS-NG asks for; identity numbers and area codes as text.
BNBA_COLUMNS = (
    Column("No", 5), Column("NIK", 19, TEXT), Column("No. KK", 19, TEXT),
    Column("Nama", 28), Column("Alamat", 30), Column("RT", 5, TEXT), Column("RW", 5, TEXT),
    Column("Kode Kelurahan", 13, TEXT), Column("Kelurahan", 18),
    Column("Kode Kecamatan", 13, TEXT), Column("Kecamatan", 15),
    Column("Jenis Usulan", 16), Column("Data Diperbaiki (di DTSEN → seharusnya)", 40),
    Column("Alasan Penghapusan", 20), Column("Alasan", 50),
    Column("Pra-saring Dinas (bukan instrumen resmi)", 60),
)  # fmt: skip
PAGE_ROWS = 20  # people per printed page of the minutes, at most

# How the minutes lay out on A4 (static/css/handover.css and proposal.css, measured in Chromium's
# print), in millimetres: the printable height, what the first page holds above its table, the
# table's header, the "continued" line, the closing words with the signatures, and a row of so
# many lines. A row has the lines of its tallest cell, its words wrapped at the characters a line
# of that column holds (a little under what Times at 8.5 pt fits).
PRINTABLE_MM, FIRST_PAGE_TOP_MM, HEADER_MM, CONTINUED_MM, CLOSING_MM = 271, 65, 4.5, 6, 47
ROW_BASE_MM, LINE_MM = 1, 3.6
COLUMN_CHARS = {"name": 19, "address": 25, "kind": 13, "reason": 50}
REASON_SHOWN = 80  # the minutes cut the reason short here; the BNBA list holds it whole


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
    if proposal.kind == Proposal.Kind.CORRECTION:
        if not proposal.changes:
            raise ValidationError(
                _(
                    "A correction names the data DTSEN has wrong: tick each field to correct and "
                    "write it as DTSEN has it."
                ),
                code="no_change",
            )
        # The right value is the proposal's own (the register's, for a participant).
        proposal.changes = {
            name: {"old": (proposal.changes[name] or {}).get("old", ""), "new": str(value)}
            for name, _label in CORRECTABLE_FIELDS
            if name in proposal.changes and (value := getattr(proposal, name))
        }
    else:
        proposal.changes = {}
    if proposal.kind == Proposal.Kind.REMOVAL and not proposal.removal_reason:
        raise ValidationError(
            {"removal_reason": _("A removal says why the family leaves the data.")}
        )
    if proposal.kind != Proposal.Kind.REMOVAL:
        proposal.removal_reason = ""
    if proposal.pk is None:
        proposal.created_by = by
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def batch_send(*, batch: ProposalBatch, by, on=None) -> ProposalBatch:
    """The batch has gone through the office's steps into SIKS-NG: it waits for the lists."""
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
            _("A batch is sent after its musyawarah or SPTJM (%(day)s), not before.")
            % {"day": f"{batch.deliberated_on:%d/%m/%Y}"},
            code="sent_before_deliberation",
        )
    batch.full_clean()
    batch.save()
    return batch


def _same(name: str, listed, proposed) -> bool:
    """Whether a list's value is the proposed one, read as a clerk would: case, spaces and the
    RT/RW's leading zeros aside."""
    listed, proposed = " ".join(str(listed or "").split()), " ".join(str(proposed or "").split())
    if name in ("rt", "rw"):
        return listed.lstrip("0") == proposed.lstrip("0")
    return listed.casefold() == proposed.casefold()


def answer_from_list(*, dtsen_list, rows: dict, households: dict) -> int:
    """Read the office's pending proposals against a DTSEN list just imported.

    `rows` holds the list's people by NIK ({NIK: {kk_number, full_name, address, rt, rw,
    desil}}), `households` its families by No. KK ({No. KK: desil}). A proposal is read when its
    batch was sent before the list's date and its kelurahan is in the list: a new family is
    reflected when it appears, a correction when every corrected field matches, a removal when
    the family is gone. Absence means something only in a list of every desil (a list of desil
    1–5 does not hold a family ranked 7): a scoped list that does not hold the family leaves the
    proposal as it was. A proposal not reflected after the office's number of lists is marked
    so. Return how many proposals the list read."""
    wait = dtsen_setting().proposal_wait_lists
    pending = list(
        Proposal.objects.filter(
            status=Proposal.Status.PENDING,
            batch__status=ProposalBatch.Status.SENT,
            batch__sent_on__lt=dtsen_list.as_of,
            batch__kelurahan__in=dtsen_list.kelurahan.all(),
        ).select_related("batch")
    )
    day = f"{dtsen_list.as_of:%d/%m/%Y}"
    read, batches = [], set()
    for proposal in pending:
        row = rows.get(proposal.nik)
        desil = row["desil"] if row is not None else households.get(proposal.kk_number)
        held = desil is not None
        if not held and not dtsen_list.full_scope:
            continue  # outside the list's scope, perhaps: its absence says nothing
        if proposal.kind == Proposal.Kind.NEW:
            reflected = held
            note = _("not in the list of %(day)s") % {"day": day}
        elif proposal.kind == Proposal.Kind.REMOVAL:
            reflected = not held
            note = _("still in the list of %(day)s") % {"day": day}
        else:
            differing = [
                str(label)
                for name, label in CORRECTABLE_FIELDS
                if name in proposal.changes
                and (row is None or not _same(name, row.get(name), proposal.changes[name]["new"]))
            ]
            reflected = row is not None and not differing
            note = (
                _("not in the list of %(day)s") % {"day": day}
                if row is None
                else _("the list of %(day)s still differs: %(fields)s")
                % {"day": day, "fields": ", ".join(differing)}
            )
        proposal.lists_read += 1
        if reflected:
            proposal.status = Proposal.Status.ACCEPTED
            proposal.answered_as_of = dtsen_list.as_of
            proposal.answered_desil = desil if proposal.kind != Proposal.Kind.REMOVAL else None
            proposal.outcome_note = _("reflected in the list of %(day)s") % {"day": day}
        else:
            proposal.outcome_note = note[:300]
            if proposal.lists_read >= wait:
                proposal.status = Proposal.Status.NOT_ACCEPTED
                proposal.answered_as_of = dtsen_list.as_of
        read.append(proposal)
        batches.add(proposal.batch_id)
    Proposal.objects.bulk_update(
        read, ["status", "lists_read", "answered_as_of", "answered_desil", "outcome_note"]
    )
    # A batch is answered once none of its proposals waits any more.
    ProposalBatch.objects.filter(pk__in=batches).exclude(
        proposals__status=Proposal.Status.PENDING
    ).update(status=ProposalBatch.Status.ANSWERED)
    return len(read)


def change_words(proposal: Proposal) -> str:
    """A correction's changes in one line: "address: Jl. Lama 1 → Gg. Mangga 4; RT: 9 → 005"."""
    return "; ".join(f"{field}: {old} → {new}" for field, old, new in proposal.change_lines)


def verification_words(proposal: Proposal) -> str:
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
            str(Proposal.Kind(proposal.kind).label),
            change_words(proposal),
            proposal.get_removal_reason_display(), proposal.reason, verification_words(proposal),
        )  # fmt: skip


def bnba_export(*, batch: ProposalBatch, user):
    """The batch's BNBA list as XLSX, recorded in the export log like every list."""
    sheet = Sheet(
        name="BNBA",
        title=f"Daftar BNBA Usulan DTSEN – Kelurahan {batch.kelurahan.name}",
        subtitle=(f"{basis_words(batch)}; Dinas Sosial Kota Metro"),
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


def basis_words(batch: ProposalBatch) -> str:
    """What the batch rests on, as its papers say it."""
    if batch.basis == ProposalBatch.Basis.SPTJM:
        return f"SPTJM {batch.deliberated_on:%d/%m/%Y}, {batch.sptjm_signed_by}"
    return f"Musyawarah kelurahan {batch.deliberated_on:%d/%m/%Y}, {batch.place}"


def kind_words(proposal: Proposal) -> str:
    """The minutes' "Usulan" cell: the kind, the fields a correction changes, a removal's why."""
    words = str(proposal.get_kind_display())
    changed = [str(field) for field, _old, _new in proposal.change_lines]
    if changed:
        words += ": " + ", ".join(changed)
    if proposal.removal_reason:
        words += f" ({proposal.get_removal_reason_display()})"
    return words


def _row_mm(proposal: Proposal) -> float:
    cells = {
        "name": proposal.full_name,
        "address": f"{proposal.address}, {proposal.rt}/{proposal.rw}",
        "kind": kind_words(proposal),
        "reason": proposal.reason[:REASON_SHOWN],
    }
    lines = max(len(textwrap.wrap(text, COLUMN_CHARS[column])) for column, text in cells.items())
    return ROW_BASE_MM + LINE_MM * max(lines, 1)


def pages(batch: ProposalBatch) -> list[list[tuple[int, Proposal]]]:
    """The batch's proposals, numbered, in the pages the minutes print: twenty people a page at
    most, fewer when their rows run long, and the last page with room for the closing words and
    the signatures, which never stand on a sheet without rows."""
    numbered = list(enumerate(batch.proposals.order_by("full_name", "pk"), start=1))
    laid, page, used = [], [], FIRST_PAGE_TOP_MM + HEADER_MM
    for row in numbered:
        row[1].kind_words = kind_words(row[1])
        height = _row_mm(row[1])
        if page and (len(page) == PAGE_ROWS or used + height > PRINTABLE_MM - CONTINUED_MM):
            laid.append(page)
            page, used = [], HEADER_MM
        page.append(row)
        used += height
    # The closing words and the signatures go with the last rows: as many rows as leave room.
    if page and used + CLOSING_MM > PRINTABLE_MM:
        room = PRINTABLE_MM - HEADER_MM - CLOSING_MM
        moved = []
        while len(page) > 1 and room >= _row_mm(page[-1][1]):
            room -= _row_mm(page[-1][1])
            moved.insert(0, page.pop())
        if not moved:  # not even one row fits beside them: the last row goes with them
            moved.insert(0, page.pop())
        if page:
            laid.append(page)
        page = moved
    laid.append(page)
    return laid


def proposal_outcome(proposal: Proposal) -> str:
    """What the lists showed of a proposal, in words: "reflected in the list of 15/08/2026 ·
    desil 3 (as BPS ranked it)", "waiting: 1 list read", "not reflected after 2 lists: …"."""
    if proposal.status == Proposal.Status.ACCEPTED:
        words = proposal.outcome_note
        if proposal.answered_desil is not None:
            words += " · " + _("desil %(desil)d, as BPS ranked it") % {
                "desil": proposal.answered_desil
            }
        return words
    if proposal.status == Proposal.Status.NOT_ACCEPTED:
        return _(
            "not reflected after %(count)d lists (%(note)s): ask in SIKS-NG or propose again"
        ) % {"count": proposal.lists_read, "note": proposal.outcome_note}
    if proposal.lists_read:
        return _("waiting: %(count)d list read (%(note)s)") % {
            "count": proposal.lists_read,
            "note": proposal.outcome_note,
        }
    return _("waiting for the lists after it is sent")
