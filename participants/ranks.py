"""A household's DTSEN rank: the one place that records a reading and reads the latest one.

Pages, exports, the importer and the eligibility rule all read ranks through here, so "the
household's rank" means the same everywhere: its latest reading (by its as-of date, then by when
it was recorded), stale once older than the office's setting allows (participants.DtsenSetting).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, CharField, DateField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from participants.models import HouseholdRank
from participants.models.office import dtsen_setting
from participants.models.ranks import standing_words

# The export's words, in the sheet's own language (its column is headed "Desil DTSEN").
NOT_IN_DTSEN_WORDS = "tidak ada di DTSEN"
UNRANKED_WORDS = "belum diketahui"


def _latest_of_each(kk_numbers: Iterable[str], **bounds) -> dict[str, HouseholdRank]:
    """The latest reading of each family card named (within `bounds`), in one query."""
    latest = {}
    numbers = {number for number in kk_numbers if number}
    if not numbers:
        return latest
    for rank in HouseholdRank.objects.filter(kk_number__in=numbers, **bounds).order_by(
        "kk_number", "-as_of", "-recorded_at", "-pk"
    ):
        latest.setdefault(rank.kk_number, rank)
    return latest


def latest_ranks(kk_numbers: Iterable[str]) -> dict[str, HouseholdRank]:
    """The latest reading of each family card named, in one query."""
    return _latest_of_each(kk_numbers)


def readings_as_of(kk_numbers: Iterable[str], day: datetime.date) -> dict[str, HouseholdRank]:
    """Each family card's latest reading as of `day` (none read later counts), in one query."""
    return _latest_of_each(kk_numbers, as_of__lte=day)


def with_ranks(memberships) -> list:
    """The memberships as a list, each with ``rank``: its member's household's latest reading."""
    memberships = list(memberships)
    latest = latest_ranks(m.participant.kk_number for m in memberships)
    for membership in memberships:
        membership.rank = latest.get(membership.participant.kk_number)
    return memberships


def latest_rank(kk_number: str) -> HouseholdRank | None:
    return latest_ranks([kk_number]).get(kk_number)


def _latest_of(kk_path: str):
    return HouseholdRank.objects.filter(kk_number=OuterRef(kk_path)).order_by(
        "-as_of", "-recorded_at", "-pk"
    )


def rank_columns(kk_path: str = "kk_number") -> dict:
    """Annotations of the latest reading's parts (rank_in_dtsen, rank_desil, rank_as_of), for
    lists that show or filter by it: NULL where the household has no reading."""
    latest = _latest_of(kk_path)
    return {
        "rank_in_dtsen": Subquery(latest.values("in_dtsen")[:1]),
        "rank_desil": Subquery(latest.values("desil")[:1]),
        "rank_as_of": Subquery(latest.values("as_of")[:1], output_field=DateField()),
    }


def summary(in_dtsen: bool | None, desil: int | None, as_of: datetime.date | None) -> str:
    """What a list shows for annotated rank parts: "Desil 2 (as of 15/08/2026)", "–" without a
    reading, and "needs re-checking" once stale."""
    if in_dtsen is None:
        return "–"
    text = _("%(standing)s (as of %(day)s)") % {
        "standing": standing_words(in_dtsen, desil),
        "day": f"{as_of:%d/%m/%Y}",
    }
    if dtsen_setting().is_stale(as_of):
        text += " · " + str(_("needs re-checking"))
    return text


def rank_words(kk_path: str = "kk_number") -> Subquery:
    """An annotation: the latest desil as the export writes it ("2", "belum diketahui", "tidak
    ada di DTSEN"), or NULL where the household has no reading."""
    shown = _latest_of(kk_path).annotate(
        words=Case(
            When(in_dtsen=False, then=Value(NOT_IN_DTSEN_WORDS)),
            When(desil__isnull=True, then=Value(UNRANKED_WORDS)),
            default=Cast("desil", CharField()),
            output_field=CharField(),
        )
    )
    return Subquery(shown.values("words")[:1], output_field=CharField())


def rank_as_of(kk_path: str = "kk_number") -> Subquery:
    """An annotation: the as-of date of the latest reading."""
    return Subquery(_latest_of(kk_path).values("as_of")[:1], output_field=DateField())


@transaction.atomic
def rank_record(
    *,
    kk_number: str,
    as_of: datetime.date,
    source: str,
    by,
    desil: int | None = None,
    in_dtsen: bool = True,
    dtsen_id: str = "",
    note: str = "",
) -> HouseholdRank:
    """Record one reading of a household's rank, checked like every other: ValidationError says
    what is wrong (a desil outside 1–10, a desil for a household not in the data, a date in the
    future)."""
    rank = HouseholdRank(
        kk_number=kk_number,
        as_of=as_of,
        source=source,
        desil=desil,
        in_dtsen=in_dtsen,
        dtsen_id=dtsen_id,
        note=note,
        recorded_by=by,
    )
    rank.full_clean()
    rank.save()
    return rank
