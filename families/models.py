"""Every kind of help a family gets and whether it worked.

Follow-ups: each problem an assessment found (or a social worker noted for one member or
household) and where it was referred, with a status whose every change is an event. Aid: what a
participant's household received, from this office or others (business-capital grants are read from
the grants, never entered twice). Outcomes: a baseline taken from the assessment and measurements
3, 6 and 12 months after the grant was disbursed.
"""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Problem
from metro_slum.fields import user_fk
from metro_slum.files.stored import FileDownload, StoredFile
from metro_slum.roles import Actor
from metro_slum.workflow import Step, Workflow
from participants.models import Participant, ParticipantGroup
from participants.models.ranks import standing_words


class FollowUp(models.Model):
    """One need of a member, a household or the whole group, and where it was taken."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REFERRED = "referred", _("Referred")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DECLINED = "declined", _("Declined")
        NOT_POSSIBLE = "not_possible", _("Not possible")

    ACTIVE_STATUSES = (Status.OPEN, Status.REFERRED, Status.IN_PROGRESS)
    # What the worker who recorded it may correct while it is being worked on.
    CORRECTABLE_FIELDS = (
        "category",
        "need",
        "scope",
        "participant",
        "service",
        "referred_to",
        "due_date",
    )
    CLOSED_STATUSES = (Status.RESOLVED, Status.DECLINED, Status.NOT_POSSIBLE)

    class Scope(models.TextChoices):
        MEMBER = "member", _("One member")
        HOUSEHOLD = "household", _("A member's household (family card)")
        GROUP = "group", _("The whole group")

    class Service(models.TextChoices):
        BPJS_PBI = "bpjs_pbi", _("Health insurance (BPJS Kesehatan PBI)")
        IDENTITY = "identity", _("Identity documents (KTP, KK, birth certificate) – Disdukcapil")
        DTSEN = "dtsen", _("Social assistance through DTSEN (PKH, sembako/BPNT, PBI-JK)")
        HOUSING = "housing", _("Housing repair (RTLH)")
        SCHOOLING = "schooling", _("Schooling (KIP)")
        SANITATION = "sanitation", _("Sanitation and clean water")
        HEALTH_CARE = "health_care", _("Health care (puskesmas)")
        TRAINING = "training", _("Skills training")
        OTHER = "other", _("Other service")

    workflow = Workflow(
        _("follow-up"),
        (
            Step(
                name="refer",
                label=_("Referred"),
                sources=(Status.OPEN,),
                target=Status.REFERRED,
                permission="families.change_followup",
                actor=Actor.WORKER,
                refusal=_("Only a social worker records a referral."),
            ),
            Step(
                name="start",
                label=_("In progress"),
                sources=(Status.OPEN, Status.REFERRED),
                target=Status.IN_PROGRESS,
                permission="families.change_followup",
                actor=Actor.WORKER,
                refusal=_("Only a social worker updates a follow-up."),
            ),
            Step(
                name="resolve",
                label=_("Resolved"),
                sources=ACTIVE_STATUSES,
                target=Status.RESOLVED,
                permission="families.change_followup",
                actor=Actor.WORKER,
                refusal=_("Only a social worker updates a follow-up."),
            ),
            Step(
                name="decline",
                label=_("Declined"),
                sources=ACTIVE_STATUSES,
                target=Status.DECLINED,
                permission="families.change_followup",
                actor=Actor.WORKER,
                refusal=_("Only a social worker updates a follow-up."),
            ),
            Step(
                name="impossible",
                label=_("Not possible"),
                sources=ACTIVE_STATUSES,
                target=Status.NOT_POSSIBLE,
                permission="families.change_followup",
                actor=Actor.WORKER,
                refusal=_("Only a social worker updates a follow-up."),
            ),
            Step(
                name="reopen",
                label=_("Reopen"),
                sources=CLOSED_STATUSES,
                target=Status.OPEN,
                permission="families.reopen_followup",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor reopens a closed follow-up."),
            ),
        ),
    )

    group = models.ForeignKey(
        ParticipantGroup,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("group"),
    )
    problem = models.ForeignKey(
        Problem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("problem in the assessment"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Problem.Category.choices)
    need = models.TextField(
        _("what is needed"), max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    scope = models.CharField(_("for whom"), max_length=10, choices=Scope.choices)
    # The member concerned; for a household, the member whose family card it is.
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("member"),
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    referred_to = models.CharField(
        _("referred to"),
        max_length=200,
        blank=True,
        help_text=_("The office or agency, e.g. Disdukcapil Kota Metro, Puskesmas Yosomulyo."),
    )
    due_date = models.DateField(
        _("to be settled by"),
        help_text=_("After this date the follow-up is listed as overdue in the waiting work."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    status_date = models.DateField(_("status since"), default=timezone.localdate)
    # The day the need was noted: no step of the follow-up is dated before it.
    opened_on = models.DateField(_("noted on"), default=timezone.localdate)
    created_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["group", "due_date", "pk"]
        permissions = [("reopen_followup", _("Can reopen a closed follow-up"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="group") | Q(participant__isnull=False),
                name="families_followup_person_unless_group",
                violation_error_message=_("Choose the member this follow-up is for."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.get_service_display()}: {self.need[:60]}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_active and self.due_date < (today or timezone.localdate())


class FollowUpEvent(models.Model):
    """One change of a follow-up's status: on which day, by whom, with what note."""

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="events", verbose_name=_("follow-up")
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=FollowUp.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=FollowUp.Status.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    user = user_fk(_("by"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("follow-up event")
        verbose_name_plural = _("follow-up events")
        ordering = ["follow_up", "on", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Evidence(StoredFile):
    """A document that shows what happened: a BPJS card, a new KTP, a letter from the agency.
    Personal data, as every stored file is unless it says otherwise: saved, never shown inline."""

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("follow-up")
    )
    event = models.ForeignKey(
        FollowUpEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("event"),
    )
    file = models.FileField(_("file"), upload_to="tindak-lanjut/%Y/%m/")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["follow_up", "uploaded_at"]


class EvidenceDownload(FileDownload):
    """Who opened or downloaded which evidence (a KTP, a BPJS card), and when."""

    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("evidence")
    )

    class Meta(FileDownload.Meta):
        verbose_name = _("evidence download")
        verbose_name_plural = _("evidence downloads")

    def __str__(self):
        return f"{self.user} {self.evidence} {self.at:%d/%m/%Y %H:%M}"


class AidKind(models.Model):
    """A kind of aid, from the list the office maintains."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    in_kind_unit = models.CharField(
        _("unit, if given in kind"),
        max_length=30,
        blank=True,
        help_text=_("e.g. kg, paket, sak. Leave empty for aid counted in rupiah."),
    )
    repeat_months = models.PositiveSmallIntegerField(
        _("expected once per (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "The same kind of aid to one household within this many months is flagged as a "
            "possible double before it is saved."
        ),
    )
    is_business_capital = models.BooleanField(
        _("business capital"),
        default=False,
        help_text=_("The programme's own business-capital grants are counted under this kind."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of aid")
        verbose_name_plural = _("kinds of aid")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AidDesilRange(models.Model):
    """Which DTSEN desil a kind of aid is for, from a day (until a day, when it changed): e.g.
    PKH desil 1–4; sembako 1–4 in 2025, 1–5 from 2026. Data the office keeps, never code."""

    kind = models.ForeignKey(
        AidKind, on_delete=models.CASCADE, related_name="desil_ranges", verbose_name=_("kind")
    )
    desil_from = models.PositiveSmallIntegerField(
        _("from desil"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    desil_to = models.PositiveSmallIntegerField(
        _("to desil"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    valid_from = models.DateField(_("applies from"))
    valid_until = models.DateField(
        _("applies until"), null=True, blank=True, help_text=_("Empty while it still applies.")
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the range is written, e.g. the ministry's announcement of 2026."),
    )

    class Meta:
        verbose_name = _("desil range of an aid kind")
        verbose_name_plural = _("desil ranges of aid kinds")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(desil_from__lte=F("desil_to")),
                name="families_aid_range_low_first",
                violation_error_message=_("The lowest desil comes first: e.g. 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="families_aid_range_dates_in_order",
                violation_error_message=_("A range ends on or after the day it starts."),
            ),
        ]

    def __str__(self):
        return _("%(kind)s: desil %(low)d–%(high)d") % {
            "kind": self.kind.name,
            "low": self.desil_from,
            "high": self.desil_to,
        }


class Aid(models.Model):
    """Aid one participant's household received, from this office or another."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="aid", verbose_name=_("recipient")
    )
    kind = models.ForeignKey(
        AidKind, on_delete=models.PROTECT, related_name="aid", verbose_name=_("kind of aid")
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("The agency and programme, e.g. Kemensos – PKH, Dinas Perkim – RTLH."),
    )
    received_on = models.DateField(_("received on"))
    value = models.DecimalField(
        _("value (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    possible_double = models.BooleanField(
        _("possible double"),
        default=False,
        help_text=_("Saved although the same kind had reached the household within its period."),
    )
    created_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aid received")
        verbose_name_plural = _("aid received")
        ordering = ["-received_on", "pk"]
        indexes = [models.Index(fields=["kind", "received_on"])]

    def __str__(self):
        return f"{self.kind} – {self.participant} ({self.received_on:%d/%m/%Y})"


class PovertyLine(models.Model):
    """The poverty line of a year (rupiah per person per month), from BPS's published figure."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        _("rupiah per person per month"),
        max_digits=10,
        decimal_places=0,
        validators=[MinValueValidator(1)],
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. BPS Kota Metro, March 2026.")
    )

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: Rp {self.amount:,.0f}".replace(",", ".")


class Measurement(models.Model):
    """A group's situation at one moment: the baseline, or 3, 6 or 12 months after the grant."""

    class Milestone(models.IntegerChoices):
        BASELINE = 0, _("Baseline (assessment)")
        MONTH_3 = 3, _("3 months after disbursement")
        MONTH_6 = 6, _("6 months after disbursement")
        MONTH_12 = 12, _("12 months after disbursement")

    FOLLOW_UPS = (Milestone.MONTH_3, Milestone.MONTH_6, Milestone.MONTH_12)

    group = models.ForeignKey(
        ParticipantGroup,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("group"),
    )
    milestone = models.PositiveSmallIntegerField(_("measurement"), choices=Milestone.choices)
    measured_on = models.DateField(_("measured on"))
    business = models.CharField(_("business"), max_length=150, blank=True)
    # Unknown at the baseline, when the business has not started.
    business_running = models.BooleanField(_("business running"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    recorded_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome measurement")
        verbose_name_plural = _("outcome measurements")
        ordering = ["group", "milestone"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "milestone"],
                name="families_measurement_once_per_milestone",
                violation_error_message=_("This measurement has already been recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.group} – {self.get_milestone_display()}"


class MemberMeasurement(models.Model):
    """One member's household at one measurement."""

    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("measurement"),
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    monthly_income = models.DecimalField(
        _("monthly income (Rp)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(0)]
    )
    household_size = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    class DtksStatus(models.TextChoices):
        REGISTERED = "registered", _("In the DTKS")
        NOT_REGISTERED = "not_registered", _("Not in the DTKS")
        UNCHECKED = "unchecked", _("Not checked yet")

    # The household's DTSEN reading on the day measured (its latest as of that day), taken from
    # its readings when the measurement is recorded, never typed: empty when it had none.
    dtsen_in = models.BooleanField(_("in DTSEN"), null=True, blank=True, editable=False)
    dtsen_desil = models.PositiveSmallIntegerField(
        _("DTSEN desil"), null=True, blank=True, editable=False
    )
    dtsen_as_of = models.DateField(_("DTSEN reading as of"), null=True, blank=True, editable=False)
    # What was typed before DTSEN, kept as it was for the record; empty in new measurements.
    dtks_status = models.CharField(
        _("DTKS status (typed before DTSEN)"),
        max_length=20,
        choices=DtksStatus.choices,
        blank=True,
        editable=False,
    )
    active = models.BooleanField(_("still active in the business"), default=True)
    household_change = models.CharField(
        _("household changes"),
        max_length=300,
        blank=True,
        help_text=_("e.g. a child started school, moved house, a member fell ill."),
    )

    class Meta:
        verbose_name = _("member's measurement")
        verbose_name_plural = _("members' measurements")
        ordering = ["measurement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "participant"], name="families_member_measured_once"
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.measurement}"

    @property
    def dtsen_words(self) -> str:
        """The household's DTSEN reading on the day: "Desil 2 (as of 15/08/2026)", or what was
        typed before DTSEN, or "no reading"."""
        if self.dtsen_in is None:
            if self.dtks_status:
                return _("%(status)s (typed before DTSEN)") % {
                    "status": self.get_dtks_status_display()
                }
            return str(_("No DTSEN reading yet"))
        return _("%(standing)s (as of %(day)s)") % {
            "standing": standing_words(self.dtsen_in, self.dtsen_desil),
            "day": f"{self.dtsen_as_of:%d/%m/%Y}",
        }

    @property
    def per_capita(self):
        return self.monthly_income / self.household_size
