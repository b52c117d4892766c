from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import ActionPlan, BudgetLine
from metro_slum.fields import user_fk
from metro_slum.files.stored import FileDownload, StoredFile
from metro_slum.roles import Actor
from metro_slum.workflow import Step, Workflow
from participants.fields import NumberField
from participants.identity import mask
from participants.models import MAX_GROUP_MEMBERS, Membership, ParticipantGroup, Program


def is_decider(grant, user) -> bool:
    """Maker-checker: whoever prepared or submitted a grant does not decide on it."""
    return user.pk not in (grant.created_by_id, grant.submitted_by_id)


# Kept from the grant's disbursements and visits (metro_slum.figures).
SUMMARY_FIELDS = ["first_tranche_on", "last_visit_on", "disbursed_amount", "last_visit_status"]


class Grant(models.Model):
    """Business capital (bantuan modal usaha) for one group, from proposal to closure."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting decision")
        APPROVED = "approved", _("Approved, awaiting disbursement")
        REJECTED = "rejected", _("Rejected")
        DISBURSED = "disbursed", _("Disbursed")
        ACCOUNTED = "accounted", _("Accountability report accepted")
        CLOSED = "closed", _("Closed")

    # Every step a grant takes, from which states, to which, by whom: the one table the services,
    # the pages' buttons, the admin actions, the stage tracker and the tests read.
    workflow = Workflow(
        _("grant"),
        (
            Step(
                name="update",
                label=_("Save proposal"),
                sources=(Status.DRAFT, Status.REJECTED),
                target=None,
                permission="grants.change_grant",
                actor=Actor.WORKER,
                refusal=_("You may not change this grant."),
                wrong_state=_(
                    "A %(what)s can be changed only as a draft or after rejection; it is now "
                    "'%(status)s'."
                ),
            ),
            Step(
                name="submit",
                label=_("Submit grant proposal"),
                sources=(Status.DRAFT, Status.REJECTED),
                target=Status.SUBMITTED,
                permission="grants.submit_grant",
                actor=Actor.WORKER,
                refusal=_("Only a social worker submits a grant proposal."),
                hint={
                    Status.DRAFT: _("Prepare the business-capital grant proposal and submit it."),
                    Status.REJECTED: _(
                        "Revise the grant proposal as the supervisor asked, then submit it again."
                    ),
                },
            ),
            Step(
                name="approve",
                label=_("Approve grant"),
                sources=(Status.SUBMITTED,),
                target=Status.APPROVED,
                permission="grants.decide_grant",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor approves a grant."),
                hint=_("A supervisor approves or rejects the grant."),
                guard=is_decider,
            ),
            Step(
                name="reject",
                label=_("Reject grant"),
                sources=(Status.SUBMITTED,),
                target=Status.REJECTED,
                permission="grants.decide_grant",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor rejects a grant."),
                guard=is_decider,
            ),
            Step(
                name="disburse",
                label=_("Record a disbursement"),
                sources=(Status.APPROVED, Status.DISBURSED),
                target=Status.DISBURSED,
                permission="grants.add_disbursement",
                actor=Actor.CLERK_OR_SUPERVISOR,
                refusal=_("Only staff or a supervisor record disbursements."),
                hint=_(
                    "Hand over the money and record the disbursement with its handover minutes."
                ),
            ),
            Step(
                name="add_spending",
                label=_("Add spending"),
                sources=(Status.DISBURSED,),
                target=None,
                permission="grants.add_spendingline",
                actor=Actor.WORKER,
                refusal=_("You may not record spending for this grant."),
                hint=_("Record the group's spending with receipts (LPJ)."),
            ),
            Step(
                name="accept_accountability",
                label=_("Accept the accountability report (LPJ)"),
                sources=(Status.DISBURSED,),
                target=Status.ACCOUNTED,
                permission="grants.accept_accountability",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor accepts an accountability report."),
                hint=_("A supervisor checks and accepts the accountability report (LPJ)."),
            ),
            Step(
                name="record_visit",
                label=_("Record a visit"),
                sources=(Status.DISBURSED, Status.ACCOUNTED, Status.CLOSED),
                target=None,
                permission="grants.add_monitoringvisit",
                actor=Actor.WORKER,
                refusal=_("You may not record monitoring visits."),
                hint=_("Visit the business: no monitoring visit in the last %(days)d days."),
                wrong_state=_(
                    "Monitoring visits are recorded once the %(what)s has been disbursed."
                ),
            ),
            Step(
                name="close",
                label=_("Close the grant"),
                sources=(Status.ACCOUNTED,),
                target=Status.CLOSED,
                permission="grants.accept_accountability",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor closes a grant."),
                hint=_(
                    "Keep visiting the business; a supervisor closes the grant when follow-up ends."
                ),
            ),
            Step(
                name="upload",
                label=_("Upload"),
                sources=(
                    Status.DRAFT,
                    Status.SUBMITTED,
                    Status.APPROVED,
                    Status.REJECTED,
                    Status.DISBURSED,
                    Status.ACCOUNTED,
                ),
                target=None,
                permission="grants.add_document",
                actor=Actor.WORKER,
                refusal=_("You may not upload documents for this grant."),
                wrong_state=_("The %(what)s is closed; no more documents can be added."),
            ),
        ),
    )

    group = models.ForeignKey(
        ParticipantGroup, on_delete=models.PROTECT, related_name="grants", verbose_name=_("group")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="grants", verbose_name=_("programme")
    )
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="grants", verbose_name=_("action plan")
    )
    amount_requested = models.DecimalField(
        _("amount requested (Rp)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(1)],
    )
    amount_approved = models.DecimalField(
        _("amount approved (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    purpose = models.TextField(_("purpose"), max_length=2000, validators=[MaxLengthValidator(2000)])
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = NumberField(
        _("account number"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9]{5,30}$",
                _(
                    "An account number is 5 to 30 digits. Write it as in the passbook: spaces "
                    "and dashes are fine."
                ),
            )
        ],
    )
    bank_account_holder = models.CharField(_("account holder"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    rejection_reason = models.TextField(
        _("reason for rejection"),
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
    )
    created_by = user_fk(_("prepared by"))
    submitted_by = user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Read off the grant's disbursements and visits, and written with them in the same
    # transaction (metro_slum.figures): a province's lists filter on them by
    # index instead of asking every grant's disbursements and visits.
    first_tranche_on = models.DateField(
        _("first disbursement"), null=True, blank=True, editable=False
    )
    last_visit_on = models.DateField(
        _("last monitoring visit"), null=True, blank=True, editable=False
    )
    disbursed_amount = models.DecimalField(
        _("disbursed"), max_digits=14, decimal_places=0, default=0, db_default=0, editable=False
    )
    last_visit_status = models.CharField(
        _("business at the last visit"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=SUMMARY_FIELDS)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["program", "group__kelurahan__code"]
        indexes = [models.Index(fields=["status", "last_visit_on"], name="grant_status_last_visit")]
        permissions = [
            ("submit_grant", _("Can submit a grant proposal")),
            ("decide_grant", _("Can approve or reject a grant")),
            ("accept_accountability", _("Can accept a group's accountability report and close")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "program"],
                name="grants_grant_one_per_group_per_program",
                violation_error_message=_("This group already has a grant in this programme."),
            ),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True) | Q(amount_approved__gte=0),
                name="grants_grant_approved_not_negative",
            ),
        ]

    def __str__(self):
        return _("Grant for %(group)s") % {"group": self.group.name}

    @property
    def is_editable(self) -> bool:
        return self.workflow.allows(self, "update")


class GrantEvent(models.Model):
    """One step in a grant's life. Written once, never changed or deleted."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="events", verbose_name=_("grant")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Grant.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Grant.Status.choices)
    user = user_fk(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(
        _("note"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )

    class Meta:
        verbose_name = _("grant event")
        verbose_name_plural = _("grant history")
        ordering = ["grant", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '–'} → {self.get_to_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The grant history cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The grant history cannot be deleted."))


class Disbursement(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CASH = "cash", _("Cash")
        GOODS = "goods", _("Goods")

    # Who receives a group's money: its chair or its treasurer.
    RECEIVER_ROLES = (Membership.Role.KETUA, Membership.Role.BENDAHARA)

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("grant")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (Rp)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(1)]
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    reference_number = models.CharField(
        _("reference number"),
        max_length=60,
        unique=True,
        error_messages={"unique": _("This reference number is already recorded.")},
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    received_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["grant", "date", "pk"]

    def __str__(self):
        return self.reference_number

    @property
    def minutes_number(self) -> str:
        """The handover minutes' own number (BAST), not the transfer's reference: a running
        number, the kelurahan's code and the year, as the office numbers its letters."""
        return f"{self.pk:04d}/BAST-BMU/{self.grant.group.kelurahan.code}/{self.date:%Y}"


class VerificationRound(models.Model):
    """After a tranche: did the money arrive whole? The group's members (all of them, or a random
    sample where the programme is large) are asked by message, at the next visit or by phone."""

    disbursement = models.OneToOneField(
        Disbursement,
        on_delete=models.PROTECT,
        related_name="verification",
        verbose_name=_("tranche"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # How the sample was sized (in a large programme): confidence and margin of error, percent.
    confidence = models.PositiveSmallIntegerField(_("confidence level (%)"))
    margin = models.PositiveSmallIntegerField(_("margin of error (%)"))

    class Meta:
        verbose_name = _("payment verification")
        verbose_name_plural = _("payment verifications")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.disbursement)


class VerificationAnswer(models.Model):
    """One member's answer: the group received the amount whole, less, or nothing."""

    class Answer(models.TextChoices):
        WAITING = "waiting", _("Not asked yet or no answer yet")
        WHOLE = "whole", _("Received whole")
        LESS = "less", _("Received less")
        NOT_RECEIVED = "not_received", _("Not received")

    class Channel(models.TextChoices):
        MESSAGE = "message", _("Reply to the message")
        VISIT = "visit", _("At a visit")
        PHONE = "phone", _("By telephone")

    DISCREPANCIES = (Answer.LESS, Answer.NOT_RECEIVED)

    round = models.ForeignKey(
        VerificationRound,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("verification"),
    )
    # The person asked (kept when they later leave the group).
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    answer = models.CharField(
        _("answer"), max_length=15, choices=Answer.choices, default=Answer.WAITING
    )
    amount_received = models.DecimalField(
        _("amount the group received (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    channel = models.CharField(_("asked"), max_length=10, choices=Channel.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_by = user_fk(_("recorded by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A discrepancy is settled when the complaint it opened is resolved or rejected.
    settled_on = models.DateField(_("discrepancy settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification answer")
        verbose_name_plural = _("verification answers")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"], name="grants_verification_one_answer_a_member"
            )
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_answer_display()}"

    @property
    def discrepancy(self) -> bool:
        return self.answer in self.DISCREPANCIES


class Document(StoredFile):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        RAB = "rab", _("Budget plan (RAB)")
        BANK_BOOK = "bank_book", _("Bank book copy")
        KTP = "ktp", _("KTP copies")
        HANDOVER = "handover", _("Handover minutes (BAST)")
        RECEIPT = "receipt", _("Receipt")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other")

    REQUIRED_FOR_SUBMISSION = (Kind.PROPOSAL, Kind.RAB, Kind.BANK_BOOK, Kind.KTP)

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="documents", verbose_name=_("grant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="grants/%Y/%m/")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["grant", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def personal(self) -> bool:
        """KTP copies are personal data; the other documents of a grant are not."""
        return self.kind == self.Kind.KTP


class DocumentDownload(FileDownload):
    """Who opened or downloaded which document (KTP copies are personal data), and when."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("document")
    )

    class Meta(FileDownload.Meta):
        verbose_name = _("document download")
        verbose_name_plural = _("document downloads")

    def __str__(self):
        return f"{self.user} {self.document} {self.at:%d/%m/%Y %H:%M}"


class SpendingLine(models.Model):
    """A line of the group's accountability report (LPJ): what was bought, against the RAB."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="spending_lines", verbose_name=_("grant")
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("RAB line"),
    )
    description = models.CharField(_("what was bought"), max_length=200)
    spent_on = models.DateField(_("date"))
    actual_amount = models.DecimalField(
        _("actual amount (Rp)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(1)],
    )
    receipt = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt"),
    )
    # Bought before the first tranche came, with the group's own money or on credit: the only
    # receipts dated before the money (metro_slum.chronology), each with its reason.
    is_advance = models.BooleanField(_("advance"), default=False, db_default=False)
    advance_reason = models.CharField(
        _("why it was bought before the money came"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
    )
    recorded_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spending line")
        verbose_name_plural = _("accountability report (LPJ)")
        ordering = ["grant", "spent_on", "pk"]

    def __str__(self):
        return self.description

    def clean(self):
        if self.is_advance and not self.advance_reason.strip():
            raise ValidationError(
                {
                    "advance_reason": _(
                        "Say why it was bought before the money came (e.g. paid by the "
                        "treasurer and repaid from the first tranche)."
                    )
                }
            )

    @property
    def planned_amount(self):
        return self.budget_line.line_total if self.budget_line else None


class MonitoringVisit(models.Model):
    class BusinessStatus(models.TextChoices):
        RUNNING = "running", _("Running")
        STRUGGLING = "struggling", _("Struggling")
        STOPPED = "stopped", _("Stopped")

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="visits", verbose_name=_("grant")
    )
    visit_date = models.DateField(_("visit date"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    business_status = models.CharField(
        _("business status"), max_length=20, choices=BusinessStatus.choices
    )
    monthly_revenue = models.DecimalField(
        _("monthly revenue (Rp)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    monthly_profit = models.DecimalField(
        _("monthly profit (Rp)"),
        max_digits=14,
        decimal_places=0,
        help_text=_("May be negative when the business makes a loss."),
    )
    active_members = models.PositiveSmallIntegerField(
        _("members still active"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_GROUP_MEMBERS)],
    )
    problems = models.TextField(
        _("problems"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    follow_up = models.TextField(
        _("follow-up"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    photo = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    # The next visit agreed with the group: the members who agreed to messages are told.
    next_visit_on = models.DateField(
        _("next visit planned on"),
        null=True,
        blank=True,
        help_text=_("The members who agreed to messages are told the date."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Raised by every correction: a correction made from an older version (on a phone that was
    # offline) is shown as a conflict instead of silently overwriting (metro_slum.offline).
    # Also the database's default: rows written in bulk by SQL (generate_scale_data) start at 1.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)
    changed_by = user_fk(_("last corrected by"))
    changed_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ["grant", "visit_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_members__lte=MAX_GROUP_MEMBERS),
                name="grants_visit_active_members_max_10",
            ),
            models.CheckConstraint(
                condition=Q(next_visit_on__isnull=True)
                | Q(next_visit_on__gt=models.F("visit_date")),
                name="grants_visit_next_after_this_one",
                violation_error_message=_("The next visit comes after this one."),
            ),
        ]

    def __str__(self):
        return f"{self.grant.group.name} {self.visit_date:%d/%m/%Y}"


class HouseholdReach(models.Model):
    """A family card with a member in a group of the programme that has received business capital.

    Kept by metro_slum.figures in the transaction of every change that can
    alter it (a disbursement recorded or deleted, a roster change, a family-card number changed),
    so a programme counts the households its capital reached through an index, exactly.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    kk_number = models.CharField(_("family card number"), max_length=16)

    class Meta:
        verbose_name = _("household reached")
        verbose_name_plural = _("households reached")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kk_number"], name="grants_household_reached_once"
            )
        ]

    def __str__(self):
        return f"{self.program_id}: {mask(self.kk_number)}"


class PlaceFigures(models.Model):
    """The grants of one programme's groups in one kelurahan, summed: how many in each status and
    state of the business at the last visit with their money (`grant_counts`), what was accounted
    for, and the monthly revenue of the monitored businesses (`revenue`).

    Kept by metro_slum.figures in the transaction of every change that can alter them, recounted
    from the rows themselves: a programme's dashboard sums a few of these instead of reading
    every grant, and its figures stay exact. The row is also what a recount of the place locks.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    kelurahan = models.ForeignKey(
        "participants.Kelurahan",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    accounted = models.DecimalField(
        _("accounted for (Rp)"), max_digits=16, decimal_places=0, default=0
    )

    class Meta:
        verbose_name = _("grant figures of a kelurahan")
        verbose_name_plural = _("grant figures of kelurahan")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kelurahan"], name="grants_place_figures_once"
            )
        ]

    def __str__(self):
        return f"{self.program_id}: {self.kelurahan_id}"


class PlaceGrantCount(models.Model):
    """The grants of one place in one status, with one state of the business at the last visit."""

    place = models.ForeignKey(
        PlaceFigures, on_delete=models.CASCADE, related_name="grant_counts", verbose_name=_("place")
    )
    status = models.CharField(_("status"), max_length=20, choices=Grant.Status.choices)
    business_status = models.CharField(
        _("business at the last visit"),
        max_length=20,
        blank=True,
        choices=MonitoringVisit.BusinessStatus.choices,
    )
    grants = models.PositiveIntegerField(_("grants"))
    requested = models.DecimalField(_("requested (Rp)"), max_digits=16, decimal_places=0)
    approved = models.DecimalField(_("approved (Rp)"), max_digits=16, decimal_places=0)
    disbursed = models.DecimalField(_("disbursed (Rp)"), max_digits=16, decimal_places=0)
    funded = models.PositiveIntegerField(_("grants with money disbursed"))

    class Meta:
        verbose_name = _("grants of a kelurahan in one status")
        verbose_name_plural = _("grants of a kelurahan by status")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "status", "business_status"], name="grants_place_count_once"
            )
        ]

    def __str__(self):
        return f"{self.place}: {self.status} {self.business_status}".rstrip()


class PlaceRevenue(models.Model):
    """One month's revenue of a place's monitored businesses: each business at its latest visit
    of the month."""

    place = models.ForeignKey(
        PlaceFigures, on_delete=models.CASCADE, related_name="revenue", verbose_name=_("place")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    revenue = models.DecimalField(_("revenue (Rp)"), max_digits=16, decimal_places=0)

    class Meta:
        verbose_name = _("monthly revenue of a kelurahan")
        verbose_name_plural = _("monthly revenue of kelurahan")
        constraints = [
            models.UniqueConstraint(fields=["place", "month"], name="grants_place_month_once")
        ]

    def __str__(self):
        return f"{self.place}: {self.month:%m/%Y}"
