"""The office's proposals to the national data (SIKS-NG usulan): a resident not in DTSEN, or whose
rank the office believes wrong, proposed after the kelurahan's deliberation, in a batch that goes
to the mayor, then to the ministry, and is answered in a later quarter's DTSEN list."""

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.fields import IdentityNumberField
from participants.identity import validate_kk, validate_nik
from participants.quarters import validate_quarter

# The office's own pre-screen: yes/no questions asked at the door to decide whom to propose,
# written on the BNBA list. Not an official instrument (they resemble the old BDT criteria): BPS
# computes the rank from its own variables; the facilitator's ground check is the ministry's.
VERIFICATION_QUESTIONS = (
    ("floor", _("Floor of earth, bamboo or cheap wood")),
    ("walls", _("Walls of bamboo, thatch or unplastered brick")),
    ("toilet", _("No own toilet, or shared with other households")),
    ("electricity", _("No electricity of its own (or 450 VA)")),
    ("water", _("Drinking water from an unprotected well, river or rain")),
    ("income", _("Head of household without steady income")),
    ("assets", _("No savings or goods worth Rp 500,000 that could be sold")),
)


class _Answered(models.Model):
    """Who prepared it and when; the quarter whose DTSEN list answered it."""

    answered_quarter = models.CharField(
        _("answered in quarter"), max_length=7, blank=True, validators=[validate_quarter]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True


class ProposalBatch(_Answered):
    """One kelurahan's proposals, deliberated together, signed off by the mayor, sent together."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SENT = "sent", _("sent to the ministry")
        ANSWERED = "answered", _("answered")

    kelurahan = models.ForeignKey(
        "participants.Kelurahan",
        on_delete=models.PROTECT,
        related_name="proposal_batches",
        verbose_name=_("kelurahan"),
    )
    deliberated_on = models.DateField(_("date of the musyawarah kelurahan"))
    place = models.CharField(_("place of the musyawarah"), max_length=200)
    chaired_by = models.CharField(
        _("chaired by"), max_length=150, help_text=_("Usually the lurah; named in the minutes.")
    )
    attendance = models.PositiveSmallIntegerField(
        _("people present"), default=0, validators=[MaxValueValidator(1000)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal batch (SIKS-NG)")
        verbose_name_plural = _("proposal batches (SIKS-NG)")
        ordering = ["-deliberated_on", "-pk"]

    def __str__(self):
        return _("Proposals of %(kelurahan)s, %(day)s") % {
            "kelurahan": self.kelurahan.name,
            "day": f"{self.deliberated_on:%d/%m/%Y}",
        }


class Proposal(_Answered):
    """One household proposed to DTSEN: a new entry, a correction of its rank, or its removal."""

    class Kind(models.TextChoices):
        NEW = "new", _("new entry")
        CORRECTION = "correction", _("correction of the rank")
        REMOVAL = "removal", _("removal")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        NOT_ACCEPTED = "not_accepted", _("not accepted")

    batch = models.ForeignKey(
        ProposalBatch,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("batch"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEW)
    nik = IdentityNumberField(_("NIK"), validators=[validate_nik])
    kk_number = IdentityNumberField(_("family card number (No. KK)"), validators=[validate_kk])
    full_name = models.CharField(_("full name"), max_length=150)
    address = models.CharField(_("address"), max_length=255)
    rt = models.CharField(_("RT"), max_length=3)
    rw = models.CharField(_("RW"), max_length=3)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("participant"),
    )
    proposed_desil = models.PositiveSmallIntegerField(
        _("desil the office believes right"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("For a correction."),
    )
    reason = models.TextField(
        _("reason"), max_length=1000, validators=[MinLengthValidator(10), MaxLengthValidator(1000)]
    )
    verification = models.JSONField(
        _("the office's pre-screen"),
        default=dict,
        blank=True,
        help_text=_(
            "The office's own questions at the door, question by question: not an official "
            "instrument (BPS computes the rank)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal to DTSEN")
        verbose_name_plural = _("proposals to DTSEN")
        ordering = ["batch", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "kk_number"],
                name="participants_one_proposal_per_household_per_batch",
                violation_error_message=_("This household is already in this batch."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_kind_display()})"

    @property
    def verification_answers(self) -> list[tuple[str, bool | None]]:
        return [(label, self.verification.get(key)) for key, label in VERIFICATION_QUESTIONS]
