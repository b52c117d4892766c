"""Whether a neighbourhood is still a slum: the slum-quality survey of each RT, scored as the
technical guideline says, and the neighbourhood works done there.

The method is data, kept by staff in admin: the criteria and sub-criteria, what each is counted
against (households, buildings, area, lengths), the bands that turn a share affected into a score
and the score ranges of each class. A survey stores the counts; its score is computed from them
(scoring.py) and computed again whenever the bands change, with the bands' version beside it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from families.models import AidKind, FollowUp
from metro_slum.fields import user_fk
from metro_slum.files.stored import FileDownload, StoredFile
from metro_slum.languages import reads_another_language
from metro_slum.roles import Actor
from metro_slum.workflow import Step, Workflow
from participants.models import RT, Kelurahan


class Basis(models.TextChoices):
    """What a sub-criterion's share is counted against: one of the RT's totals."""

    HOUSEHOLDS = "households", _("households")
    BUILDINGS = "buildings", _("buildings")
    AREA = "area_ha", _("area (ha)")
    ROADS = "road_length_m", _("length of neighbourhood roads (m)")
    DRAINS = "drainage_length_m", _("length of drains (m)")
    # KOTAKU counts what is missing of the network the RT should have: against its ideal length.
    ROADS_IDEAL = "road_ideal_length_m", _("ideal length of neighbourhood roads (m)")
    DRAINS_IDEAL = "drainage_ideal_length_m", _("ideal length of drains (m)")


class SlumClass(models.TextChoices):
    NONE = "none", _("Not slum")
    LIGHT = "light", _("Light slum")
    MEDIUM = "medium", _("Medium slum")
    HEAVY = "heavy", _("Heavy slum")


SLUM_CLASSES = (SlumClass.LIGHT, SlumClass.MEDIUM, SlumClass.HEAVY)

# How a count of each basis is written after its number: "12 of 40 households", "1.5 of 4 ha".
UNITS = {
    Basis.HOUSEHOLDS: _("households"),
    Basis.BUILDINGS: _("buildings"),
    Basis.AREA: "ha",
    Basis.ROADS: _("m of road"),
    Basis.DRAINS: _("m of drains"),
    Basis.ROADS_IDEAL: _("m of road (ideal length)"),
    Basis.DRAINS_IDEAL: _("m of drains (ideal length)"),
}


def _in_reader_language(name: str, name_en: str) -> str:
    """The guideline's words (Indonesian, as the regulation writes them), or their English for
    a reader in English where they are kept."""
    return name_en if name_en and reads_another_language() else name


class Criterion(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("slum criterion")
        verbose_name_plural = _("slum criteria")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def shown_name(self) -> str:
        return _in_reader_language(self.name, self.name_en)


class SubCriterion(models.Model):
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="subs", verbose_name=_("criterion")
    )
    code = models.CharField(_("code"), max_length=4, unique=True, help_text=_("For example 1a."))
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    basis = models.CharField(_("counted against"), max_length=30, choices=Basis.choices)
    question = models.CharField(
        _("question to the surveyor"),
        max_length=300,
        help_text=_("What is counted as affected, as the guideline says it."),
    )

    class Meta:
        verbose_name = _("slum sub-criterion")
        verbose_name_plural = _("slum sub-criteria")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def shown_name(self) -> str:
        return _in_reader_language(self.name, self.name_en)

    @property
    def unit(self) -> str:
        return str(UNITS[self.basis])


class Guideline(models.Model):
    """The bands in force: a share affected to a score, a total score to a class. Only one is in
    force; its version goes up whenever its bands change and every survey is scored again."""

    name = models.CharField(_("guideline"), max_length=200)
    in_force = models.BooleanField(_("in force"), default=True)
    version = models.PositiveIntegerField(_("version of the bands"), default=1, editable=False)
    # The guideline writes its bands in whole per cents (0-24, 25-50, 51-75, 76-100): a share
    # is rounded half up to this many decimals before it is banded (50.4 % -> 50 -> 1;
    # 50.5 % -> 51 -> 3).
    share_decimals = models.PositiveSmallIntegerField(
        _("decimals of a share"),
        default=0,
        validators=[MaxValueValidator(2)],
        help_text=_("A share is rounded half up to this many decimals before it gets its band."),
    )
    changed_at = models.DateTimeField(_("bands changed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring guideline")
        verbose_name_plural = _("scoring guidelines")
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"],
                condition=Q(in_force=True),
                name="slums_one_guideline_in_force",
                violation_error_message=_("Only one guideline is in force at a time."),
            )
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class ShareBand(models.Model):
    """From this share affected (inclusive) up to the next band's, this score."""

    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="share_bands", verbose_name=_("guideline")
    )
    from_percent = models.DecimalField(
        _("from share affected (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("share band")
        verbose_name_plural = _("share bands")
        ordering = ["guideline", "from_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "from_percent"], name="slums_share_band_unique_start"
            )
        ]

    def __str__(self):
        return f"≥ {self.from_percent} % → {self.score}"


class ClassBand(models.Model):
    """From this total score (inclusive) up to the next band's, this class."""

    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="class_bands", verbose_name=_("guideline")
    )
    from_score = models.PositiveSmallIntegerField(_("from total score"))
    slum_class = models.CharField(_("class"), max_length=10, choices=SlumClass.choices)
    label = models.CharField(_("label"), max_length=60, help_text=_("As the reports print it."))

    class Meta:
        verbose_name = _("class band")
        verbose_name_plural = _("class bands")
        ordering = ["guideline", "from_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "from_score"], name="slums_class_band_unique_start"
            ),
            models.UniqueConstraint(
                fields=["guideline", "slum_class"], name="slums_class_band_unique_class"
            ),
        ]

    def __str__(self):
        return f"≥ {self.from_score} → {self.label}"


class Survey(models.Model):
    """One survey of one RT: its totals, then for each sub-criterion the count affected."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        RETURNED = "returned", _("Returned for correction")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    workflow = Workflow(
        _("survey"),
        (
            Step(
                name="edit",
                label=_("Edit"),
                sources=EDITABLE_STATUSES,
                target=None,
                permission="slums.change_survey",
                actor=Actor.WORKER,
                refusal=_("Only a social worker enters a survey."),
                wrong_state=_(
                    "This survey was %(status)s and can no longer be changed. Reload the page."
                ),
            ),
            Step(
                name="submit",
                label=_("Submit for review"),
                sources=EDITABLE_STATUSES,
                target=Status.SUBMITTED,
                permission="slums.change_survey",
                actor=Actor.WORKER,
                refusal=_("Only a social worker submits a survey."),
                hint={
                    Status.DRAFT: _("Enter every sub-criterion, then submit the survey."),
                    Status.RETURNED: _("Correct what the supervisor noted, then submit again."),
                },
            ),
            Step(
                name="review",
                label=_("Mark as reviewed"),
                sources=(Status.SUBMITTED,),
                target=Status.REVIEWED,
                permission="slums.review_survey",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor reviews a survey."),
                hint=_("The supervisor checks the counts and marks the survey reviewed."),
            ),
            Step(
                name="return",
                label=_("Return for correction"),
                sources=(Status.SUBMITTED,),
                target=Status.RETURNED,
                permission="slums.review_survey",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor returns a survey."),
            ),
        ),
    )

    rt = models.ForeignKey(
        RT, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("RT")
    )
    is_baseline = models.BooleanField(_("baseline"), default=False, editable=False)
    surveyed_on = models.DateField(_("surveyed on"))
    surveyor = models.CharField(_("surveyor"), max_length=150)
    households = models.PositiveIntegerField(_("households"))
    buildings = models.PositiveIntegerField(_("buildings"))
    area_ha = models.DecimalField(_("area (ha)"), max_digits=8, decimal_places=2)
    road_length_m = models.PositiveIntegerField(_("length of neighbourhood roads (m)"))
    drainage_length_m = models.PositiveIntegerField(_("length of drains (m)"))
    # Unknown (empty) in surveys taken before the ideal lengths were asked.
    road_ideal_length_m = models.PositiveIntegerField(
        _("ideal length of neighbourhood roads (m)"), null=True, blank=True
    )
    drainage_ideal_length_m = models.PositiveIntegerField(
        _("ideal length of drains (m)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_note = models.TextField(_("supervisor's note"), max_length=1000, blank=True)
    created_by = user_fk(_("entered by"))
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = user_fk(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Computed from the answers (scoring.py), never typed; again whenever the bands change.
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, editable=False)
    slum_class = models.CharField(
        _("class"), max_length=10, choices=SlumClass.choices, blank=True, editable=False
    )
    scored_with = models.CharField(_("scored with"), max_length=220, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("slum survey")
        verbose_name_plural = _("slum surveys")
        ordering = ["rt", "-surveyed_on", "-pk"]
        permissions = [("review_survey", _("Can review slum surveys"))]
        indexes = [models.Index(fields=["rt", "status", "surveyed_on"])]

    def __str__(self):
        return f"{self.rt.label} · {self.surveyed_on:%d/%m/%Y}"

    def total(self, basis: str):
        return getattr(self, basis)


class Answer(models.Model):
    """The count affected for one sub-criterion, out of the survey's total for its basis; the
    share is computed, never typed."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="answers", verbose_name=_("survey")
    )
    sub = models.ForeignKey(
        SubCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-criterion")
    )
    affected = models.DecimalField(
        _("affected"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # What the count was counted against when it was entered: a count in another unit than the
    # sub-criterion's today (the method changed) is kept, shown, and not scored until recounted.
    counted_as = models.CharField(
        _("counted against"), max_length=30, choices=Basis.choices, default=""
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["survey", "sub__code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "sub"], name="slums_answer_unique_sub")
        ]

    def __str__(self):
        return f"{self.sub.code}: {self.affected}"

    @property
    def in_current_unit(self) -> bool:
        return self.counted_as == self.sub.basis


class Photo(StoredFile):
    """A photo taken during the survey, of one sub-criterion or of the RT."""

    file = models.FileField(_("file"), upload_to="kumuh/%Y/%m/")
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="photos", verbose_name=_("survey")
    )
    sub = models.ForeignKey(
        SubCriterion,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("sub-criterion"),
    )

    # Streets, drains and roofs: no personal data, shown in the page.
    personal = False

    class Meta:
        verbose_name = _("survey photo")
        verbose_name_plural = _("survey photos")
        ordering = ["survey", "pk"]


class PhotoDownload(FileDownload):
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="downloads")

    class Meta(FileDownload.Meta):
        verbose_name = _("survey photo download")
        verbose_name_plural = _("survey photo downloads")


class Work(models.Model):
    """A neighbourhood work done in an RT by any agency (a road paved, a drain built, a hydrant,
    a communal septic tank): the aid that goes to a place rather than to a household."""

    rt = models.ForeignKey(RT, on_delete=models.PROTECT, related_name="works", verbose_name=_("RT"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="works", verbose_name=_("criterion")
    )
    what = models.CharField(_("work"), max_length=200)
    delivered_by = models.CharField(
        _("delivered by"), max_length=150, help_text=_("The agency or programme.")
    )
    completed_on = models.DateField(_("completed on"))
    cost = models.DecimalField(
        _("cost (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    created_by = user_fk(_("recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("neighbourhood work")
        verbose_name_plural = _("neighbourhood works")
        ordering = ["rt", "-completed_on"]

    def __str__(self):
        return f"{self.what} ({self.rt.label})"


class Boundary(models.Model):
    """The outline of an RT (or, without an RT, of a whole kelurahan) as staff loaded it: a
    GeoJSON Polygon or MultiPolygon in longitude and latitude, checked by services.py."""

    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.CASCADE, related_name="+", verbose_name=_("kelurahan")
    )
    rt = models.OneToOneField(
        RT,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="boundary",
        verbose_name=_("RT"),
    )
    geometry = models.JSONField(_("shape"))
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("A sketch (the demo's), not a surveyed boundary: the map says so."),
    )
    loaded_by = user_fk(_("loaded by"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["kelurahan", "rt"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan"],
                condition=Q(rt__isnull=True),
                name="slums_one_kelurahan_outline",
            )
        ]

    def __str__(self):
        return str(self.rt or self.kelurahan)


class Target(models.Model):
    """Which slum criterion a kind of household aid or a follow-up service acts on, so that the
    kelurahan page can say which criteria nobody has acted on in an RT."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="targets", verbose_name=_("criterion")
    )
    aid_kind = models.ForeignKey(
        AidKind,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of aid"),
    )
    follow_up_service = models.CharField(
        _("follow-up service"), max_length=20, choices=FollowUp.Service.choices, blank=True
    )

    class Meta:
        verbose_name = _("criterion acted on")
        verbose_name_plural = _("criteria acted on")
        constraints = [
            models.CheckConstraint(
                condition=Q(aid_kind__isnull=False) | ~Q(follow_up_service=""),
                name="slums_target_names_aid_or_service",
                violation_error_message=_("Name a kind of aid or a follow-up service."),
            )
        ]

    def __str__(self):
        return f"{self.aid_kind or self.follow_up_service} → {self.criterion}"


class Level(models.IntegerChoices):
    """How a non-physical consideration weighs: the regulation's low, medium, high."""

    LOW = 1, _("low")
    MEDIUM = 3, _("medium")
    HIGH = 5, _("high")


class Kawasan(models.Model):
    """A slum area as the city's slum decree (SK Kumuh) lists it: a named set of RTs of one
    kelurahan."""

    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, related_name="kawasan", verbose_name=_("kelurahan")
    )
    name = models.CharField(_("name"), max_length=150)
    decree = models.CharField(
        _("slum decree"), max_length=200, blank=True, help_text=_("The decree that lists it.")
    )
    rts = models.ManyToManyField(RT, related_name="kawasan", verbose_name=_("RTs"))

    class Meta:
        verbose_name = _("slum area (kawasan)")
        verbose_name_plural = _("slum areas (kawasan)")
        ordering = ["kelurahan__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "name"], name="slums_kawasan_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.kelurahan.name})"


class LocationAssessment(models.Model):
    """The rest of a location's assessment beside the physical score (Permen PUPR 14/2018): the
    land's legality and the non-physical considerations, of an RT or of a kawasan. They order the
    city's priorities in its slum decree and never enter the 0-80 score."""

    rt = models.ForeignKey(
        RT,
        on_delete=models.PROTECT,
        related_name="location_assessments",
        null=True,
        blank=True,
        verbose_name=_("RT"),
    )
    kawasan = models.ForeignKey(
        Kawasan,
        on_delete=models.PROTECT,
        related_name="assessments",
        null=True,
        blank=True,
        verbose_name=_("kawasan"),
    )
    assessed_on = models.DateField(_("assessed on"))
    land_status_clear = models.BooleanField(
        _("land tenure is clear"),
        help_text=_("The residents own the land or hold the right to use it."),
    )
    fits_spatial_plan = models.BooleanField(
        _("fits the spatial plan"), help_text=_("Housing is what the RTRW/RDTR allows there.")
    )
    strategic_value = models.PositiveSmallIntegerField(
        _("strategic value of the location"), choices=Level.choices
    )
    population_density = models.PositiveSmallIntegerField(
        _("population density"), choices=Level.choices
    )
    socio_economic_potential = models.PositiveSmallIntegerField(
        _("social, economic and cultural potential"), choices=Level.choices
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = user_fk(_("recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("location assessment")
        verbose_name_plural = _("location assessments")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rt__isnull=False, kawasan__isnull=True)
                | Q(rt__isnull=True, kawasan__isnull=False),
                name="slums_assessment_of_rt_or_kawasan",
                violation_error_message=_("Assess either one RT or one kawasan."),
            )
        ]

    def __str__(self):
        place = self.rt.label if self.rt_id else str(self.kawasan)
        return f"{place} · {self.assessed_on:%d/%m/%Y}"

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError(
                {"assessed_on": _("The date is in the future. Write the day it was assessed.")}
            )

    @property
    def legal(self) -> bool:
        return self.land_status_clear and self.fits_spatial_plan

    @property
    def considerations(self) -> int:
        return self.strategic_value + self.population_density + self.socio_economic_potential

    def summary(self) -> str:
        """One line for a report: legality, then the three considerations and their sum."""
        legality = _("legal") if self.legal else _("not legal")
        return _(
            "%(legality)s; strategic %(strategic)s, density %(density)s, potential "
            "%(potential)s (%(total)s of 15)"
        ) % {
            "legality": legality,
            "strategic": self.get_strategic_value_display(),
            "density": self.get_population_density_display(),
            "potential": self.get_socio_economic_potential_display(),
            "total": self.considerations,
        }
