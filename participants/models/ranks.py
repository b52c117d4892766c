"""Why this family: a household's place in DTSEN, the national social and economic data."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.fields import IdentityNumberField
from participants.identity import mask, validate_kk, validate_nik
from participants.models.office import dtsen_setting

LOWEST_DESIL, HIGHEST_DESIL = 1, 10
DESIL_RANGE = _("A desil is a whole number from 1 to 10.")


def validate_not_future(day) -> None:
    """A rank is read as of a day that has come: a list's date, a check's day."""
    if day > timezone.localdate():
        raise ValidationError(
            _("%(day)s is in the future: give the date the data was read (today or earlier)."),
            code="future",
            params={"day": f"{day:%d/%m/%Y}"},
        )


def standing_words(in_dtsen: bool, desil: int | None) -> str:
    """A reading in words: "Desil 2", "In DTSEN, rank unknown", "Not in DTSEN"."""
    if not in_dtsen:
        return _("Not in DTSEN")
    if desil is None:
        return _("In DTSEN, rank unknown")
    return _("Desil %(desil)s") % {"desil": desil}


class HouseholdRank(models.Model):
    """One reading of a family card's rank: its desil as of a date (the list's own date, or the
    day of a check), where it was read and by whom.

    Readings are kept, never overwritten: the household's rank is its latest reading, and the
    readings over time are one of the programme's outcomes. Periods (quarters, by default) are a
    view of the date (participants.periods).
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
    as_of = models.DateField(
        _("as of"),
        validators=[validate_not_future],
        help_text=_(
            "The date of the DTSEN list the rank comes from (its 'data per' date), or the day of "
            "the SIKS-NG check or the field verification."
        ),
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
        ordering = ["kk_number", "-as_of", "-recorded_at", "-pk"]
        indexes = [
            # A household's latest reading, and the readings of a date.
            models.Index(fields=["kk_number", "-as_of", "-recorded_at", "-id"], name="rank_latest"),
            models.Index(fields=["as_of"], name="rank_as_of"),
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
        ]

    def __str__(self):
        # A record's text lands in titles, breadcrumbs, histories and messages: masked there.
        return f"{mask(self.kk_number)} – {self.summary}"

    @property
    def standing(self) -> str:
        return standing_words(self.in_dtsen, self.desil)

    @property
    def period(self) -> str:
        """The period of the office's cycle the reading falls in, e.g. "2026-Q3"."""
        return dtsen_setting().period_of(self.as_of)

    @property
    def summary(self) -> str:
        """What a page shows: "Desil 2 (per 15/08/2026)"."""
        return _("%(standing)s (as of %(day)s)") % {
            "standing": self.standing,
            "day": f"{self.as_of:%d/%m/%Y}",
        }

    @property
    def stale(self) -> bool:
        return dtsen_setting().is_stale(self.as_of)


class DtsenList(models.Model):
    """One DTSEN list the office imported: what it held and what it changed, for the record."""

    file_name = models.CharField(_("file"), max_length=200)
    as_of = models.DateField(
        _("data as of"),
        validators=[validate_not_future],
        help_text=_("The list's own date: the day its ranks were read."),
    )
    desil_from = models.PositiveSmallIntegerField(
        _("lowest desil listed"),
        default=LOWEST_DESIL,
        validators=[MinValueValidator(LOWEST_DESIL), MaxValueValidator(HIGHEST_DESIL)],
    )
    desil_to = models.PositiveSmallIntegerField(
        _("highest desil listed"),
        default=HIGHEST_DESIL,
        validators=[MinValueValidator(LOWEST_DESIL), MaxValueValidator(HIGHEST_DESIL)],
        help_text=_(
            "A list of desil 1–5 says nothing of a household it does not hold: it may rank higher."
        ),
    )
    kelurahan = models.ManyToManyField(
        "participants.Kelurahan",
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan covered"),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    ranks_recorded = models.PositiveIntegerField(_("ranks recorded"), default=0)
    ranks_unchanged = models.PositiveIntegerField(_("ranks unchanged"), default=0)
    matched_by_nik = models.PositiveIntegerField(_("participants found by NIK"), default=0)
    matched_by_kk = models.PositiveIntegerField(_("households found by No. KK"), default=0)
    candidates = models.PositiveIntegerField(_("candidates listed"), default=0)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("DTSEN list")
        verbose_name_plural = _("DTSEN lists")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(desil_from__lte=models.F("desil_to")),
                name="participants_dtsen_list_scope",
                violation_error_message=_("The lowest desil listed is not above the highest."),
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.as_of:%d/%m/%Y})"

    @property
    def full_scope(self) -> bool:
        """Whether the list holds every desil: only then does absence from it mean anything."""
        return (self.desil_from, self.desil_to) == (LOWEST_DESIL, HIGHEST_DESIL)

    @property
    def scope(self) -> str:
        return _("desil %(low)d–%(high)d") % {"low": self.desil_from, "high": self.desil_to}


class CandidateQuerySet(models.QuerySet):
    def unregistered(self):
        """Candidates nobody has registered yet (by NIK, whichever way they were registered)."""
        from participants.models.people import Participant

        return self.exclude(models.Exists(Participant.objects.filter(nik=models.OuterRef("nik"))))


class Candidate(models.Model):
    """A resident a DTSEN list names who is not (yet) in the programme: poor in a kelurahan, and
    one step from being registered. Their household's desil is its latest rank (by No. KK)."""

    nik = IdentityNumberField(_("NIK"), unique=True, validators=[validate_nik])
    kk_number = IdentityNumberField(_("family card number (No. KK)"), validators=[validate_kk])
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    kelurahan = models.ForeignKey(
        "participants.Kelurahan",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("kelurahan"),
    )
    dtsen_id = models.CharField(_("DTSEN ID"), max_length=40, blank=True)
    listed_as_of = models.DateField(_("listed as of"))
    listed_in = models.ForeignKey(
        DtsenList,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("DTSEN list"),
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate from DTSEN")
        verbose_name_plural = _("candidates from DTSEN")
        ordering = ["kelurahan", "full_name", "pk"]
        indexes = [models.Index(fields=["kelurahan", "full_name"], name="candidate_kelurahan")]

    def __str__(self):
        return self.full_name


class EligibilityException(models.Model):
    """A supervisor's written decision that a person may join a programme's group although the
    rule says no (participants.eligibility): e.g. a family fallen into poverty after the last
    DTSEN update, proposed to the data."""

    program = models.ForeignKey(
        "participants.Program",
        on_delete=models.PROTECT,
        related_name="eligibility_exceptions",
        verbose_name=_("programme"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="eligibility_exceptions",
        verbose_name=_("participant"),
    )
    reason = models.TextField(
        _("reason"),
        max_length=1000,
        validators=[MinLengthValidator(20), MaxLengthValidator(1000)],
        help_text=_(
            "Why this person may join although the rule says no, in a few sentences an "
            "auditor can read (at least 20 characters)."
        ),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now, editable=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("granted by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility exception")
        verbose_name_plural = _("eligibility exceptions")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "participant"],
                name="participants_one_exception_per_programme",
                violation_error_message=_(
                    "This person already has an exception in this programme."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.program}"
