from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metro_slum.roles import Actor
from metro_slum.workflow import Step, Workflow
from participants.models import Membership, ParticipantGroup

NOT_EDITABLE = _(
    "The %(what)s has been sent (%(status)s) and can no longer be changed. A supervisor can "
    "return it for correction."
)
NOT_AWAITING_REVIEW = _(
    "The %(what)s is no longer waiting for review (now: %(status)s). Someone may have decided on "
    "it already; reload the page."
)


def review_workflow(
    what, model, *, submit_label, accept, accept_label, accept_target, statuses, hints
):
    """The graph a reviewed record follows: save and submit, then accept or return. `hints`:
    the "next" texts of submitting a draft, submitting a returned record, and accepting."""
    draft, submitted, returned = statuses
    editable = (draft, returned)
    return Workflow(
        what,
        (
            Step(
                name="save",
                label=_("Save draft"),
                sources=editable,
                target=None,
                permission=f"assessments.change_{model}",
                actor=Actor.WORKER,
                refusal=_("You may not change this record."),
                wrong_state=NOT_EDITABLE,
            ),
            Step(
                name="submit",
                label=submit_label,
                sources=editable,
                target=submitted,
                permission=f"assessments.change_{model}",
                actor=Actor.WORKER,
                refusal=_("You may not change this record."),
                hint={draft: hints[0], returned: hints[1]},
                wrong_state=NOT_EDITABLE,
            ),
            Step(
                name=accept,
                label=accept_label,
                sources=(submitted,),
                target=accept_target,
                permission=f"assessments.review_{model}",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor may do this."),
                hint=hints[2],
                wrong_state=NOT_AWAITING_REVIEW,
            ),
            Step(
                name="return",
                label=_("Return for correction"),
                sources=(submitted,),
                target=returned,
                permission=f"assessments.review_{model}",
                actor=Actor.SUPERVISOR,
                refusal=_("Only a supervisor may do this."),
                wrong_state=NOT_AWAITING_REVIEW,
            ),
        ),
    )


class ReviewedRecord(models.Model):
    """What a social worker writes and a supervisor reviews: who sent it, who decided, when."""

    workflow: Workflow

    review_note = models.TextField(
        _("supervisor's note"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every save: a draft saved from an older version (a phone that was offline, a
    # second tab) is shown as a conflict instead of silently overwriting (metro_slum.offline).
    # Also the database's default: rows written in bulk by SQL (generate_scale_data) start at 1.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.workflow.allows(self, "save")

    def review_steps(self, user) -> list:
        """The supervisor's steps (accept, return) the state table allows this user now."""
        return [
            step
            for step in self.workflow.allowed_steps(self, user)
            if step.name not in ("save", "submit")
        ]


class NeedsAssessment(ReviewedRecord):
    """The participatory needs assessment held with one group."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        REVIEWED = "reviewed", _("Reviewed")
        RETURNED = "returned", _("Returned for correction")

    workflow = review_workflow(
        _("needs assessment"),
        "needsassessment",
        submit_label=_("Submit for review"),
        accept="review",
        accept_label=_("Mark as reviewed"),
        accept_target=Status.REVIEWED,
        statuses=(Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
        hints=(
            _("Record the participatory needs assessment and submit it."),
            _("Correct the needs assessment as the supervisor asked, then submit it again."),
            _("A supervisor reviews the needs assessment."),
        ),
    )

    group = models.OneToOneField(
        ParticipantGroup,
        on_delete=models.PROTECT,
        related_name="needs_assessment",
        verbose_name=_("group"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    facilitators = models.CharField(
        _("facilitators"),
        max_length=300,
        blank=True,
        help_text=_("Names of the social workers and facilitators who led it."),
    )
    chosen_business = models.CharField(
        _("business chosen by the group"),
        max_length=20,
        choices=ParticipantGroup.BusinessType.choices,
        blank=True,
    )
    chosen_business_other = models.CharField(_("other business"), max_length=150, blank=True)
    chosen_business_reason = models.TextField(
        _("why the group chose it"),
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["group__kelurahan__code"]
        permissions = [("review_needsassessment", _("Can review or return a needs assessment"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="assessments_assessment_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return _("Needs assessment of %(group)s") % {"group": self.group.name}

    @property
    def is_reviewed(self) -> bool:
        """Reviewed by a supervisor: the action plan may be submitted."""
        return self.status == self.Status.REVIEWED

    @property
    def chosen_business_label(self) -> str:
        if self.chosen_business == ParticipantGroup.BusinessType.OTHER:
            return self.chosen_business_other
        return self.get_chosen_business_display()


class Problem(models.Model):
    class Category(models.TextChoices):
        ECONOMIC = "economic", _("Economic")
        SOCIAL = "social", _("Social")
        HOUSING = "housing", _("Housing and sanitation")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education")
        OTHER = "other", _("Other")

    assessment = models.ForeignKey(
        NeedsAssessment,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("needs assessment"),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1)], help_text=_("1 is the most pressing.")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(
        _("problem"), max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    votes = models.PositiveSmallIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["assessment", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "rank"], name="assessments_problem_unique_rank"
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.description[:60]}"


class MemberProfile(models.Model):
    """What one member told the assessment: attendance, interests, skills, means."""

    assessment = models.ForeignKey(
        NeedsAssessment,
        on_delete=models.CASCADE,
        related_name="profiles",
        verbose_name=_("needs assessment"),
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("member")
    )
    attended = models.BooleanField(_("present"), default=True)
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    business_experience = models.CharField(_("business experience"), max_length=300, blank=True)
    current_income = models.DecimalField(
        _("current monthly income (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    preferred_business = models.CharField(
        _("preferred business"),
        max_length=20,
        choices=ParticipantGroup.BusinessType.choices,
        blank=True,
    )
    willing_to_run_business = models.BooleanField(_("willing to run the business"), default=False)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "membership"], name="assessments_profile_one_per_member"
            ),
        ]

    def __str__(self):
        return str(self.membership.participant)

    @property
    def is_profiled(self) -> bool:
        return bool(self.interests.strip() and self.skills.strip())


class ActionPlan(ReviewedRecord):
    """The participatory action plan: goal, activities and the budget plan (RAB)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    workflow = review_workflow(
        _("action plan"),
        "actionplan",
        submit_label=_("Submit for approval"),
        accept="approve",
        accept_label=_("Approve the plan"),
        accept_target=Status.APPROVED,
        statuses=(Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
        hints=(
            _("Draw up the action plan and budget (RAB) and submit it."),
            _("Correct the action plan as the supervisor asked, then submit it again."),
            _("A supervisor approves the action plan."),
        ),
    )

    group = models.OneToOneField(
        ParticipantGroup,
        on_delete=models.PROTECT,
        related_name="action_plan",
        verbose_name=_("group"),
    )
    goal = models.TextField(
        _("goal"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["group__kelurahan__code"]
        permissions = [("review_actionplan", _("Can approve or return an action plan"))]

    def __str__(self):
        return _("Action plan of %(group)s") % {"group": self.group.name}


class Activity(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    description = models.CharField(_("activity"), max_length=300)
    responsible = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("member responsible"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="assessments_activity_end_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.description


class BudgetLine(models.Model):
    """One line of the RAB (rencana anggaran biaya)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("plan")
    )
    item = models.CharField(_("item"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=30)
    unit_price = models.DecimalField(
        _("unit price (Rp)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    line_total = models.DecimalField(_("total (Rp)"), max_digits=14, decimal_places=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines (RAB)")
        ordering = ["plan", "pk"]

    def __str__(self):
        return self.item

    def save(self, *args, **kwargs):
        self.line_total = line_total(self.quantity, self.unit_price)
        super().save(*args, **kwargs)


def line_total(quantity, unit_price) -> Decimal:
    """Return quantity × unit price in whole rupiah, rounded half up as a cashier would."""
    return (Decimal(quantity) * Decimal(unit_price)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
