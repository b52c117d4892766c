"""A household's DTSEN rank: the one place that records a reading and reads the latest one.

Pages, exports, the importer and the eligibility rule all read ranks through here, so "the
household's rank" means the same everywhere: its latest reading (by quarter, then by when it was
recorded), stale once older than ``settings.DTSEN_CURRENT_QUARTERS``.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from participants.models import HouseholdRank
from participants.models.ranks import standing_words
from participants.quarters import is_stale, parse_quarter

# The export's words, in the sheet's own language (its column is headed "Desil DTSEN").
NOT_IN_DTSEN_WORDS = "tidak ada di DTSEN"
UNRANKED_WORDS = "belum diketahui"


def latest_ranks(kk_numbers: Iterable[str]) -> dict[str, HouseholdRank]:
    """The latest reading of each family card named, in one query."""
    latest = {}
    numbers = {number for number in kk_numbers if number}
    if not numbers:
        return latest
    for rank in HouseholdRank.objects.filter(kk_number__in=numbers).order_by(
        "kk_number", "-quarter", "-recorded_at", "-pk"
    ):
        latest.setdefault(rank.kk_number, rank)
    return latest


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
        "-quarter", "-recorded_at", "-pk"
    )


def rank_columns(kk_path: str = "kk_number") -> dict:
    """Annotations of the latest reading's parts (rank_in_dtsen, rank_desil, rank_quarter), for
    lists that show or filter by it: NULL where the household has no reading."""
    latest = _latest_of(kk_path)
    return {
        "rank_in_dtsen": Subquery(latest.values("in_dtsen")[:1]),
        "rank_desil": Subquery(latest.values("desil")[:1]),
        "rank_quarter": Subquery(latest.values("quarter")[:1], output_field=CharField()),
    }


def summary(in_dtsen: bool | None, desil: int | None, quarter: str | None) -> str:
    """What a list shows for annotated rank parts: "Desil 2 (2026-Q3)", "–" without a reading,
    and "needs re-checking" once stale."""
    if in_dtsen is None:
        return "–"
    text = f"{standing_words(in_dtsen, desil)} ({quarter})"
    if is_stale(quarter):
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


def rank_quarter(kk_path: str = "kk_number") -> Subquery:
    """An annotation: the quarter of the latest reading."""
    return Subquery(_latest_of(kk_path).values("quarter")[:1], output_field=CharField())


@transaction.atomic
def rank_record(
    *,
    kk_number: str,
    quarter: str,
    source: str,
    by,
    desil: int | None = None,
    in_dtsen: bool = True,
    dtsen_id: str = "",
    note: str = "",
) -> HouseholdRank:
    """Record one reading of a household's rank, checked like every other: ValidationError says
    what is wrong (a desil outside 1–10, a desil for a household not in the data, a quarter
    that is not one)."""
    rank = HouseholdRank(
        kk_number=kk_number,
        quarter=parse_quarter(quarter),
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
