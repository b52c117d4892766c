"""Did the money arrive whole? For every tranche a verification round asks the group's members
(all of them in a small programme; a random sample sized by confidence and margin of error in a
large one) whether the group received the amount, and records their answers. A discrepancy stays
open until the complaint it opened is settled; a grant is not closed over one."""

import math
import random

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from grants.models import Disbursement, VerificationAnswer, VerificationRound
from metro_slum import chronology
from metro_slum.formatting import rupiah
from participants.messaging import message_queue
from participants.models import Membership, Message

Answer = VerificationAnswer.Answer
# z for the usual confidence levels.
Z_SCORES = {80: 1.2816, 85: 1.4395, 90: 1.6449, 95: 1.96, 99: 2.5758}


def sample_size(population: int, *, confidence: int, margin: int) -> int:
    """Cochran's sample size for a proportion (p = 0.5), corrected for a finite population."""
    if population <= 0:
        return 0
    z = Z_SCORES.get(confidence)
    if z is None:
        raise ValidationError(
            _("Choose a confidence level of %(levels)s percent.")
            % {"levels": ", ".join(str(level) for level in Z_SCORES)}
        )
    n0 = z * z * 0.25 / (margin / 100) ** 2
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


def _programme_members(disbursement: Disbursement) -> int:
    """Members of the programme's groups that have received money: the population sampled."""
    program = disbursement.grant.group.program
    return (
        Membership.objects.filter(
            group__program=program, group__grants__disbursements__isnull=False
        )
        .distinct()
        .count()
    )


def members_to_ask(disbursement: Disbursement) -> list[Membership]:
    """All the group's members where the programme has at most VERIFICATION_ASK_ALL_UP_TO
    members paid; otherwise the group's share of the programme's sample, drawn at random (the
    same draw for the same tranche)."""
    members = list(disbursement.grant.group.memberships.select_related("participant"))
    population = _programme_members(disbursement)
    if population <= settings.VERIFICATION_ASK_ALL_UP_TO:
        return members
    programme_sample = sample_size(
        population,
        confidence=settings.VERIFICATION_CONFIDENCE,
        margin=settings.VERIFICATION_MARGIN,
    )
    share = max(1, math.ceil(programme_sample * len(members) / population))
    return random.Random(disbursement.pk).sample(members, min(share, len(members)))


@transaction.atomic
def verification_round_open(*, disbursement: Disbursement) -> VerificationRound:
    """Open the tranche's round (once), its members to ask, and ask by message those who agreed."""
    existing = VerificationRound.objects.filter(disbursement=disbursement).first()
    if existing is not None:
        return existing
    verification = VerificationRound.objects.create(
        disbursement=disbursement,
        confidence=settings.VERIFICATION_CONFIDENCE,
        margin=settings.VERIFICATION_MARGIN,
    )
    group = disbursement.grant.group
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Dinsos Kota Metro: did %(group)s receive %(amount)s whole on %(date)s? Tell your "
            "social worker at the next visit, or call the office."
        ) % {
            "group": group.name,
            "amount": rupiah(disbursement.amount),
            "date": disbursement.date.strftime("%d/%m/%Y"),
        }
    for membership in members_to_ask(disbursement):
        VerificationAnswer.objects.create(round=verification, participant=membership.participant)
        message_queue(
            key=f"verification:{disbursement.pk}:participant:{membership.participant_id}",
            text=text,
            reason=Message.Reason.VERIFICATION,
            participant=membership.participant,
        )
    return verification


@transaction.atomic
def verification_answer_record(
    *, answer: VerificationAnswer, by, value: str, channel: str, on, amount=None, note: str = ""
) -> VerificationAnswer:
    """Record one member's answer (a changed answer replaces it, kept in the history of the
    complaint it opened). "Less" needs the amount the group received."""
    if by is None or not by.has_perm("grants.change_verificationanswer"):
        raise PermissionDenied(_("You may not record payment verification answers."))
    answer = (
        VerificationAnswer.objects.select_for_update()
        .select_related("round__disbursement")
        .get(pk=answer.pk)
    )
    tranche = answer.round.disbursement
    errors = {}
    if value not in (Answer.WHOLE, Answer.LESS, Answer.NOT_RECEIVED):
        errors["value"] = _("Choose what the member answered.")
    if channel not in VerificationAnswer.Channel.values:
        errors["channel"] = _("Choose how the member was asked.")
    if on is None:
        errors["on"] = _("Enter the date of the answer.")
    elif on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif on < tranche.date:
        errors["on"] = _("The answer cannot come before the tranche of %(date)s.") % {
            "date": chronology.day_text(tranche.date)
        }
    if value == Answer.LESS:
        if amount is None:
            errors["amount"] = _("Enter the amount the group received.")
        elif amount >= tranche.amount:
            errors["amount"] = _(
                "%(amount)s is not less than the tranche of %(tranche)s: choose 'received whole'."
            ) % {"amount": rupiah(amount), "tranche": rupiah(tranche.amount)}
    if errors:
        raise ValidationError(errors)
    answer.answer, answer.channel, answer.answered_on = value, channel, on
    answer.amount_received = amount if value == Answer.LESS else None
    answer.note, answer.recorded_by = note.strip()[:300], by
    if not answer.discrepancy:
        answer.settled_on = None
    answer.full_clean()
    answer.save()
    return answer


def verification_answer_settle(*, answer: VerificationAnswer, on, settled: bool = True) -> None:
    """Mark a discrepancy settled (its complaint resolved or rejected), or open again (appealed)."""
    VerificationAnswer.objects.filter(pk=answer.pk).update(settled_on=on if settled else None)


def unsettled_discrepancies(grant) -> int:
    return VerificationAnswer.objects.filter(
        round__disbursement__grant=grant,
        answer__in=VerificationAnswer.DISCREPANCIES,
        settled_on__isnull=True,
    ).count()


def verification_figures(disbursements) -> dict:
    """Per tranche: members asked, answered, discrepancies (open and settled); one query."""
    from django.db.models import Count, Q

    rows = (
        VerificationAnswer.objects.filter(round__disbursement__in=disbursements)
        .values("round__disbursement")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=~Q(answer=Answer.WAITING)),
            discrepancies=Count("pk", filter=Q(answer__in=VerificationAnswer.DISCREPANCIES)),
            unsettled=Count(
                "pk",
                filter=Q(answer__in=VerificationAnswer.DISCREPANCIES, settled_on__isnull=True),
            ),
        )
    )
    return {row.pop("round__disbursement"): row for row in rows}
