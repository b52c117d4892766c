"""Why this family: a household's place in DTSEN, the national social and economic data."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.fields import IdentityNumberField
from participants.identity import validate_kk
from participants.quarters import QUARTER_PATTERN, is_stale, validate_quarter

LOWEST_DESIL, HIGHEST_DESIL = 1, 10
DESIL_RANGE = _("A desil is a whole number from 1 to 10.")


def standing_words(in_dtsen: bool, desil: int | None) -> str:
    """A reading in words: "Desil 2", "In DTSEN, rank unknown", "Not in DTSEN"."""
    if not in_dtsen:
        return _("Not in DTSEN")
    if desil is None:
        return _("In DTSEN, rank unknown")
    return _("Desil %(desil)s") % {"desil": desil}


class HouseholdRank(models.Model):
    """One reading of a family card's rank: its desil in a quarter, where it was read and by whom.

    Readings are kept, never overwritten: the household's rank is its latest reading, and the
    readings over time are one of the programme's outcomes.
    """

    class Source(models.TextChoices):
        DTSEN_IMPORT = "dtsen_import", _("DTSEN list")
        SIKS_NG = "siks_ng_check", _("SIKS-NG check")
        FIELD = "field_verification", _("Field verification")
        DTKS = "dtks", _("DTKS status (before DTSEN)")

    kk_number = IdentityNumberField(_("family card number (No. KK)"), validators=[validate_kk])
    in_dtsen = models.BooleanField(
        _("in DTSEN"),
        default=True,
        help_text=_("Untick when the household was looked up and is not in the data."),
    )
    desil = models.PositiveSmallIntegerField(
        _("desil"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LOWEST_DESIL, DESIL_RANGE),
            MaxValueValidator(HIGHEST_DESIL, DESIL_RANGE),
        ],
        help_text=_("1 (poorest) to 10; empty when the household is in the data without a rank."),
    )
    quarter = models.CharField(
        _("quarter"),
        max_length=7,
        validators=[validate_quarter],
        help_text=_("The quarter the rank applies to, e.g. 2026-Q3."),
    )
    dtsen_id = models.CharField(_("DTSEN ID"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    note = models.TextField(
        _("note"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("DTSEN rank")
        verbose_name_plural = _("DTSEN ranks")
        ordering = ["kk_number", "-quarter", "-recorded_at", "-pk"]
        indexes = [
            # A household's latest reading, and the readings of a quarter.
            models.Index(
                fields=["kk_number", "-quarter", "-recorded_at", "-id"], name="rank_latest"
            ),
            models.Index(fields=["quarter"], name="rank_quarter"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(desil__isnull=True)
                | Q(desil__gte=LOWEST_DESIL, desil__lte=HIGHEST_DESIL),
                name="participants_rank_desil_1_to_10",
                violation_error_message=DESIL_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(in_dtsen=True) | Q(desil__isnull=True),
                name="participants_rank_desil_only_in_dtsen",
                violation_error_message=_(
                    "A household that is not in DTSEN has no desil: tick 'in DTSEN' or leave the "
                    "desil empty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__regex=QUARTER_PATTERN),
                name="participants_rank_quarter_format",
                violation_error_message=_("Write the quarter as e.g. 2026-Q3."),
            ),
        ]

    def __str__(self):
        return f"{self.kk_number} – {self.summary}"

    @property
    def standing(self) -> str:
        return standing_words(self.in_dtsen, self.desil)

    @property
    def summary(self) -> str:
        """What a page shows: "Desil 2 (2026-Q3)"."""
        return f"{self.standing} ({self.quarter})"

    @property
    def stale(self) -> bool:
        return is_stale(self.quarter)
