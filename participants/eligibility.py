"""Who may join a programme's group: one rule, with its reasons.

A member's household ranks in DTSEN within the programme's highest desil (its latest reading,
current, not stale); the member is of the programme's age at joining and not in an excluded
occupation (the ministry's KUBE practice: not PNS, TNI, Polri or a pensioner). A supervisor may
record an exception with a written reason; a household without a rank may also join while the
office's proposal to DTSEN for it is pending. Group changes (portal, admin, the Excel import)
and the grant's submission all ask here.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participants import ranks
from participants.models import EligibilityException, Participant, Program, Proposal, ProposalBatch


@dataclass(frozen=True)
class Verdict:
    """Whether one person may join: the reasons against (none: eligible), and what lets them in
    anyway (an exception, a pending proposal)."""

    participant: Participant
    reasons: tuple[str, ...]
    exception: EligibilityException | None = None
    pending_proposal: bool = False
    unranked_only: bool = False  # the one reason against: the household has no rank

    @property
    def allowed(self) -> bool:
        if not self.reasons or self.exception is not None:
            return True
        # Without a rank only: a pending proposal is the office's own request to be ranked.
        return self.pending_proposal and self.unranked_only


def _occupation_words(program: Program) -> list[str]:
    return [w.strip() for w in program.excluded_occupations.split(",") if w.strip()]


def _excluded(occupation: str, words: list[str]) -> str | None:
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", occupation, re.IGNORECASE):
            return word
    return None


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def verdicts(program: Program, joining: list[tuple[Participant, datetime.date]]) -> list[Verdict]:
    """The verdict on each (person, joining date), in a few queries whatever their number."""
    people = [person for person, _day in joining]
    latest = ranks.latest_ranks(p.kk_number for p in people)
    exceptions = {
        e.participant_id: e
        for e in EligibilityException.objects.filter(
            program=program, participant__in=[p.pk for p in people if p.pk]
        ).select_related("granted_by")
    }
    pending = set(
        Proposal.objects.filter(
            kk_number__in={p.kk_number for p in people},
            status=Proposal.Status.PENDING,
        )
        .exclude(batch__status=ProposalBatch.Status.ANSWERED)
        .values_list("kk_number", flat=True)
    )
    words = _occupation_words(program)
    found = []
    for person, day in joining:
        reasons, unranked = [], False
        reading = latest.get(person.kk_number)
        limit = {"max": program.max_desil}
        if reading is None or (reading.in_dtsen and reading.desil is None):
            unranked = True
            reasons.append(
                _(
                    "%(name)s's household has no DTSEN rank (%(standing)s): this programme is for "
                    "desil 1–%(max)d. Record the rank from a DTSEN list or a SIKS-NG check, "
                    "propose the household to DTSEN, or ask a supervisor for an exception."
                )
                % {
                    "name": person.full_name,
                    "standing": reading.summary if reading else _("never looked up"),
                    **limit,
                }
            )
        elif not reading.in_dtsen:
            unranked = True
            reasons.append(
                _(
                    "%(name)s's household is not in DTSEN (as of %(day)s): this programme is for "
                    "desil 1–%(max)d. Propose the household to DTSEN, or ask a supervisor for an "
                    "exception."
                )
                % {"name": person.full_name, "day": f"{reading.as_of:%d/%m/%Y}", **limit}
            )
        elif reading.stale:
            reasons.append(
                _(
                    "%(name)s's rank, %(reading)s, is too old to count: re-check it in SIKS-NG "
                    "and record the rank it gives today."
                )
                % {"name": person.full_name, "reading": reading.summary}
            )
        elif reading.desil > program.max_desil:
            reasons.append(
                _("%(name)s: %(reading)s: this programme is for desil 1–%(max)d.")
                % {"name": person.full_name, "reading": reading.summary, **limit}
            )
        age = age_on(person.birth_date, day) if person.birth_date else None
        if age is not None and not program.min_age <= age <= program.max_age:
            reasons.append(
                _(
                    "%(name)s is %(age)d on joining (%(day)s): this programme is for ages "
                    "%(low)d–%(high)d."
                )
                % {
                    "name": person.full_name,
                    "age": age,
                    "day": f"{day:%d/%m/%Y}",
                    "low": program.min_age,
                    "high": program.max_age,
                }
            )
        word = _excluded(person.occupation or "", words)
        if word:
            reasons.append(
                _("%(name)s works as %(occupation)s: this programme does not take %(words)s.")
                % {
                    "name": person.full_name,
                    "occupation": person.occupation,
                    "words": ", ".join(words),
                }
            )
        verdict = Verdict(
            participant=person,
            reasons=tuple(reasons),
            exception=exceptions.get(person.pk),
            pending_proposal=person.kk_number in pending,
            unranked_only=unranked and len(reasons) == 1,
        )
        found.append(verdict)
    return found


def verdict(program: Program, participant: Participant, day: datetime.date) -> Verdict:
    return verdicts(program, [(participant, day)])[0]


def require_eligible(program: Program, joining: list[tuple[Participant, datetime.date]]) -> None:
    """Raise a ValidationError with every reason a person may not join (none: all may)."""
    refused = [v for v in verdicts(program, joining) if not v.allowed]
    if refused:
        raise ValidationError(
            [ValidationError(reason, code="not_eligible") for v in refused for reason in v.reasons]
        )


@transaction.atomic
def exception_grant(*, program: Program, participant: Participant, reason: str, by, at=None):
    """A supervisor lets a person join although the rule says no, with a reason to read."""
    if not by.has_perm("participants.add_eligibilityexception"):
        raise PermissionDenied(_("Only a supervisor may grant an exception."))
    exception = EligibilityException(
        program=program, participant=participant, reason=reason.strip(), granted_by=by
    )
    if at is not None:
        exception.granted_at = at
    exception.full_clean()
    exception.save()
    return exception


def group_verdicts(group) -> list[Verdict]:
    """The verdict on each member of a group, as they joined (their age on their joining day)
    and as their households rank now."""
    memberships = list(group.memberships.select_related("participant"))
    return verdicts(group.program, [(m.participant, m.joined_on) for m in memberships])


def group_problems(group) -> list[str]:
    """Why the group's members may not all be in it, in words (none: they may)."""
    return [reason for v in group_verdicts(group) if not v.allowed for reason in v.reasons]


def with_verdicts(memberships, program: Program) -> list:
    """The memberships as a list, each with ``verdict``: may its member be in the group (their
    exception, if any, included)."""
    memberships = list(memberships)
    found = verdicts(program, [(m.participant, m.joined_on) for m in memberships])
    for membership, verdict_ in zip(memberships, found, strict=True):
        membership.verdict = verdict_
    return memberships
