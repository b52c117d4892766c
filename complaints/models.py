"""Complaints (pengaduan) from residents and members: aid not received, money cut on the way, an
illegal fee, wrong targeting... each with a number and a check code, deadlines counted in working
days, an owner, and a status whose every change is an event.

Sensitive complaints (harassment, a fee asked by staff) are seen only by those who hold the
designated role (`complaints.view_sensitive_complaint`): never by the social worker of the
kelurahan, who may be the person complained about.
"""

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grants.models import Disbursement, Grant, VerificationAnswer
from metro_slum.fields import user_fk
from metro_slum.files.stored import FileDownload, StoredFile
from metro_slum.roles import Actor
from metro_slum.workflow import Step, Workflow
from participants.models import Kelurahan, Participant, ParticipantGroup

HANDLE = "complaints.handle_complaint"


class Category(models.TextChoices):
    NOT_RECEIVED = "not_received", _("Aid not received")
    AMOUNT_CUT = "amount_cut", _("Amount cut (potongan)")
    ILLEGAL_FEE = "illegal_fee", _("Illegal fee asked (pungli)")
    WRONG_TARGETING = "wrong_targeting", _("Wrong targeting (someone better off got aid)")
    WRONG_DATA = "wrong_data", _("Wrong data (name, NIK, address)")
    SERVICE = "service", _("Service of the office")
    HARASSMENT = "harassment", _("Harassment or abuse (sensitive)")
    STAFF_FEE = "staff_fee", _("A fee asked by an officer (sensitive)")
    OTHER = "other", _("Other")


# Seen only by the designated role: the person complained about may be the kelurahan's worker.
SENSITIVE_CATEGORIES = frozenset({Category.HARASSMENT, Category.STAFF_FEE})


class Complaint(models.Model):
    """One complaint, from intake to its answer (and at most one appeal)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSESSED = "assessed", _("Assessed")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")
        APPEALED = "appealed", _("Appealed")

    class Channel(models.TextChoices):
        WEB = "web", _("Public web form")
        WALK_IN = "walk_in", _("Came to the office")
        PHONE = "phone", _("Telephone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        FIELD = "field", _("Told a social worker in the field")
        LAPOR = "lapor", _("SP4N-LAPOR")
        VERIFICATION = "verification", _("Payment verification")

    ACTIVE_STATUSES = (Status.RECEIVED, Status.ASSESSED, Status.IN_PROGRESS, Status.APPEALED)
    CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED)

    workflow = Workflow(
        _("complaint"),
        (
            Step(
                name="assess",
                label=_("Assessed: first answer given"),
                sources=(Status.RECEIVED,),
                target=Status.ASSESSED,
                permission=HANDLE,
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor handles complaints."),
                hint=_("Assess it and give the first answer"),
            ),
            Step(
                name="start",
                label=_("In progress"),
                sources=(Status.ASSESSED,),
                target=Status.IN_PROGRESS,
                permission=HANDLE,
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor handles complaints."),
                hint=_("Look into it"),
            ),
            Step(
                name="resolve",
                label=_("Resolved"),
                sources=(Status.ASSESSED, Status.IN_PROGRESS, Status.APPEALED),
                target=Status.RESOLVED,
                permission=HANDLE,
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor handles complaints."),
                hint=_("Resolve it and tell the complainant"),
            ),
            Step(
                name="reject",
                label=_("Rejected, with the reason"),
                sources=(Status.RECEIVED, Status.ASSESSED, Status.IN_PROGRESS, Status.APPEALED),
                target=Status.REJECTED,
                permission=HANDLE,
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor handles complaints."),
            ),
            Step(
                name="appeal",
                label=_("Appealed by the complainant"),
                sources=CLOSED_STATUSES,
                target=Status.APPEALED,
                permission="complaints.add_complaint",
                actor=Actor.CLERK_OR_SUPERVISOR,
                refusal=_("Only office staff record an appeal on the complainant's behalf."),
                wrong_state=_(
                    "An appeal is possible only once the complaint is resolved or rejected; "
                    "it is now '%(status)s'."
                ),
                guard=lambda complaint, user: complaint.appeals == 0,
            ),
        ),
    )

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    # A hash of the code given to the complainant with the number: the number and the code
    # together open the public status page.
    check_code_hash = models.CharField(max_length=128, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("complainant's name"), max_length=100, blank=True)
    phone = models.CharField(_("phone or WhatsApp"), max_length=20, blank=True)
    description = models.TextField(
        _("what happened"), max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("kelurahan"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("participant"),
    )
    group = models.ForeignKey(
        ParticipantGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("group"),
    )
    grant = models.ForeignKey(
        Grant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("grant"),
    )
    disbursement = models.ForeignKey(
        Disbursement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("tranche"),
    )
    # A member's answer to the payment verification that opened this complaint.
    verification_answer = models.OneToOneField(
        VerificationAnswer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint",
        verbose_name=_("verification answer"),
    )
    lapor_ticket = models.CharField(
        _("SP4N-LAPOR ticket"),
        max_length=40,
        blank=True,
        help_text=_("The tracking number of the same complaint in SP4N-LAPOR, if it came there."),
    )
    owner = user_fk(_("handled by"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    status_date = models.DateField(_("status since"), default=timezone.localdate)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    first_answer_due = models.DateField(_("first answer due"))
    resolution_due = models.DateField(_("to be resolved by"))
    answered_on = models.DateField(_("first answered on"), null=True, blank=True)
    appeals = models.PositiveSmallIntegerField(_("appeals"), default=0, editable=False)
    # The office's answer the complainant reads on the public page (no personal data).
    public_answer = models.TextField(_("answer to the complainant"), blank=True, max_length=1000)
    created_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["check_code_hash"])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("handle_complaint", _("Can handle complaints (assess, resolve, reject, assign)")),
            ("view_sensitive_complaint", _("Can see and handle sensitive complaints")),
            ("oversee_complaints", _("Receives complaints escalated to the head of office")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(appeals__lte=1),
                name="complaints_complaint_one_appeal",
                violation_error_message=_("A complaint is appealed at most once."),
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(name=""),
                name="complaints_complaint_anonymous_without_name",
                violation_error_message=_("An anonymous complaint carries no name."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "resolution_due"]),
            models.Index(fields=["sensitive", "kelurahan"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def overdue(self, today=None) -> str:
        """Which deadline has passed while the complaint waits: 'answer', 'resolution' or ''."""
        today = today or timezone.localdate()
        if not self.is_active:
            return ""
        if self.answered_on is None and self.first_answer_due < today:
            return "answer"
        if self.resolution_due < today:
            return "resolution"
        return ""


class ComplaintDeadline(models.Model):
    """How many working days the office takes to answer and to resolve a category of
    complaint. Staff keep these in admin; a complaint's deadlines are fixed when it arrives."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, unique=True)
    first_answer_days = models.PositiveSmallIntegerField(
        _("first answer within (working days)"), validators=[MinValueValidator(1)]
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("resolved within (working days)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("complaint deadline")
        verbose_name_plural = _("complaint deadlines")
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_days__gte=models.F("first_answer_days")),
                name="complaints_deadline_resolution_after_answer",
                violation_error_message=_("The resolution cannot come before the first answer."),
            ),
        ]

    def __str__(self):
        return self.get_category_display()


class ComplaintEvent(models.Model):
    """One step of a complaint: from, to, when, who (nobody: the complainant, on the public
    page), and the note."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="events", verbose_name=_("complaint")
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=Complaint.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Complaint.Status.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    user = user_fk(_("by"))
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["complaint", "at", "pk"]

    def __str__(self):
        return f"{self.complaint} → {self.get_to_status_display()}"


class Attachment(StoredFile):
    """A photo or document sent with a complaint (a receipt, a letter): checked like the grant
    documents, personal data, served only to those who may see the complaint."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("complaint")
    )
    file = models.FileField(_("file"), upload_to="pengaduan/%Y/%m/")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["complaint", "uploaded_at"]


class AttachmentDownload(FileDownload):
    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("attachment")
    )

    class Meta(FileDownload.Meta):
        verbose_name = _("attachment download")
        verbose_name_plural = _("attachment downloads")

    def __str__(self):
        return f"{self.user} {self.attachment} {self.at:%d/%m/%Y %H:%M}"
