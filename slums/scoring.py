"""The score of a survey, from its counts and the bands in force; nothing here writes.

share = affected / the survey's total for the sub-criterion's basis, in per cent, rounded half
up to the guideline's decimals (whole per cents: its ranges are 0-24, 25-50, 51-75, 76-100); each
share gets the score of the highest band that starts at or below it; a count entered in another
unit than the sub-criterion's today (the method changed since) is not scored; the scores are
summed; the sum gets the class of the highest class band that starts at or below it.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metro_slum.languages import reads_another_language
from slums.models import Guideline, SlumClass

HUNDRED = Decimal(100)


def share(affected, total, decimals: int = 2) -> Decimal | None:
    """The share affected in per cent, rounded half up to `decimals`; None where there is
    nothing to count against (an RT without drains has no share of bad drains)."""
    if not total:
        return None
    return (HUNDRED * Decimal(affected) / Decimal(total)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Rule:
    """The bands of the guideline in force, read once."""

    name: str
    version: int
    decimals: int  # a share is rounded to these before it is banded
    share_bands: tuple  # (from_percent, score), ascending
    class_bands: tuple  # (from_score, class, label), ascending

    @classmethod
    def in_force(cls) -> "Rule":
        # The one in force; were none marked so, the latest one, rather than no score at all.
        guideline = Guideline.objects.order_by("-in_force", "-pk").first()
        if guideline is None:
            raise ValidationError(
                _("No scoring guideline is in force. Ask the administrator to set one in admin.")
            )
        return cls.of(guideline)

    @classmethod
    def of(cls, guideline) -> "Rule":
        return cls(
            name=guideline.name,
            version=guideline.version,
            decimals=guideline.share_decimals,
            share_bands=tuple(
                guideline.share_bands.order_by("from_percent").values_list("from_percent", "score")
            ),
            class_bands=tuple(
                guideline.class_bands.order_by("from_score").values_list(
                    "from_score", "slum_class", "label"
                )
            ),
        )

    @property
    def label(self) -> str:
        return f"{self.name} (v{self.version})"

    def score_of(self, percent) -> int:
        if percent is None:
            return 0
        found = 0
        for start, score in self.share_bands:
            if percent >= start:
                found = score
        return found

    def class_of(self, total: int) -> str:
        found = SlumClass.NONE
        for start, slum_class, _label in self.class_bands:
            if total >= start:
                found = slum_class
        return found

    def class_label(self, slum_class: str) -> str:
        """The class as the guideline names it (Indonesian data); for a reader in another
        language, the class's own name in theirs."""
        if slum_class and reads_another_language():
            return str(SlumClass(slum_class).label)
        for _start, key, label in self.class_bands:
            if key == slum_class:
                return label
        return SlumClass(slum_class).label if slum_class else ""

    @property
    def maximum(self) -> int:
        return max((score for _start, score in self.share_bands), default=0)


@dataclass(frozen=True)
class Line:
    sub: object  # SubCriterion
    affected: Decimal | None
    total: object
    percent: Decimal | None
    score: int
    # A count kept from before the method changed its unit: shown, not scored, to count again.
    recount: bool = False


@dataclass(frozen=True)
class Result:
    lines: tuple
    score: int
    slum_class: str

    def carriers(self, limit: int = 3) -> list:
        """The sub-criteria that carry the score: the highest scores first."""
        scored = [line for line in self.lines if line.score]
        return sorted(scored, key=lambda line: (-line.score, -(line.percent or 0)))[:limit]


def score(survey, answers, subs, rule: Rule) -> Result:
    """Score one survey: `answers` by sub-criterion id, `subs` every sub-criterion in order."""
    lines = []
    for sub in subs:
        answer = answers.get(sub.pk)
        total = survey.total(sub.basis)
        recount = answer is not None and answer.counted_as != sub.basis
        affected = answer.affected if answer is not None and not recount else None
        percent = share(affected, total, rule.decimals) if affected is not None else None
        lines.append(Line(sub, affected, total, percent, rule.score_of(percent), recount))
    total_score = sum(line.score for line in lines)
    return Result(tuple(lines), total_score, rule.class_of(total_score))
