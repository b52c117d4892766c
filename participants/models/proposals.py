"""The office's proposals to the national data (SIKS-NG usulan): data changes, never a rank. A
family not in DTSEN, a correction of the data DTSEN holds on a family (which fields, as DTSEN has
them → as they are), or a family's removal with its reason; proposed in a kelurahan's batch that
rests on its deliberation (musyawarah) or on a statement of responsibility (SPTJM), goes through
the steps the office set (participants.DtsenSetting), and is read back from the DTSEN lists that
follow: the family appears, its corrected fields match, or it is gone. BPS computes the rank; the
rank it gave is shown, never compared with anything the office proposed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.fields import IdentityNumberField
from participants.identity import validate_kk, validate_nik

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


# The data a correction may change: the fields a DTSEN list carries and the proposal records.
CORRECTABLE_FIELDS = (
    ("kk_number", _("family card number (No. KK)")),
    ("full_name", _("full name")),
    ("address", _("address")),
    ("rt", _("RT")),
    ("rw", _("RW")),
)


class _Created(models.Model):
    """Who prepared it and when."""

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


class ProposalBatch(_Created):
    """One kelurahan's proposals, agreed together (in a musyawarah, or under an SPTJM), sent
    together through SIKS-NG."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SENT = "sent", _("sent to the ministry")
        ANSWERED = "answered", _("every outcome read")

    class Basis(models.TextChoices):
        MUSYAWARAH = "musyawarah", _("deliberation of the kelurahan (musyawarah)")
        SPTJM = "sptjm", _("statement of responsibility (SPTJM)")

    kelurahan = models.ForeignKey(
        "participants.Kelurahan",
        on_delete=models.PROTECT,
        related_name="proposal_batches",
        verbose_name=_("kelurahan"),
    )
    basis = models.CharField(
        _("rests on"),
        max_length=10,
        choices=Basis.choices,
        default=Basis.MUSYAWARAH,
        help_text=_(
            "A musyawarah's minutes, or a statement of responsibility (SPTJM) signed instead."
        ),
    )
    deliberated_on = models.DateField(_("date of the musyawarah or the SPTJM"))
    place = models.CharField(_("place of the musyawarah"), max_length=200, blank=True)
    chaired_by = models.CharField(
        _("chaired by"),
        max_length=150,
        blank=True,
        help_text=_("Usually the lurah; named in the minutes."),
    )
    attendance = models.PositiveSmallIntegerField(
        _("people present"), default=0, validators=[MaxValueValidator(1000)]
    )
    sptjm_signed_by = models.CharField(
        _("SPTJM signed by"),
        max_length=150,
        blank=True,
        help_text=_("Who takes responsibility for the data: usually the lurah."),
    )
    sptjm_position = models.CharField(
        _("position of the signer"), max_length=150, blank=True, help_text=_("e.g. Lurah")
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

    def clean(self):
        errors = {}
        if self.basis == self.Basis.MUSYAWARAH:
            for name in ("place", "chaired_by"):
                if not getattr(self, name):
                    errors[name] = _(
                        "A batch resting on a musyawarah names its place and who chaired it."
                    )
        elif not self.sptjm_signed_by:
            errors["sptjm_signed_by"] = _(
                "A batch resting on an SPTJM names who signs it (usually the lurah)."
            )
        if errors:
            raise ValidationError(errors)


class Proposal(_Created):
    """One family's data change proposed to DTSEN: a new family, a correction of its data, or its
    removal; its outcome read from the lists that follow."""

    class Kind(models.TextChoices):
        NEW = "new", _("new family")
        CORRECTION = "correction", _("correction of data")
        REMOVAL = "removal", _("removal")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the lists")
        ACCEPTED = "accepted", _("reflected in DTSEN")
        NOT_ACCEPTED = "not_accepted", _("not reflected")

    class RemovalReason(models.TextChoices):
        MOVED = "moved", _("moved out of the city")
        DIED = "died", _("died (a single-person family)")
        BETTER_OFF = "better_off", _("no longer poor")
        DUPLICATE = "duplicate", _("listed twice")
        OTHER = "other", _("other (in the reason)")

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
    changes = models.JSONField(
        _("data corrected"),
        default=dict,
        blank=True,
        help_text=_("For a correction: each field DTSEN has wrong, as it has it and as it is."),
    )
    removal_reason = models.CharField(
        _("why removed"), max_length=12, choices=RemovalReason.choices, blank=True
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
    lists_read = models.PositiveSmallIntegerField(
        _("lists read since sent"),
        default=0,
        help_text=_("DTSEN lists after sending that could show the outcome (within their scope)."),
    )
    answered_as_of = models.DateField(_("outcome read as of"), null=True, blank=True)
    answered_desil = models.PositiveSmallIntegerField(_("desil BPS gave"), null=True, blank=True)
    outcome_note = models.CharField(_("what the lists showed"), max_length=300, blank=True)

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
    def change_lines(self) -> list[tuple[str, str, str]]:
        """A correction's changes as (field, as DTSEN has it, as it is)."""
        # In the fields' own order: a JSON column keeps no order of its keys (PostgreSQL's jsonb
        # sorts them its own way).
        changes = self.changes or {}
        return [
            (str(label), changes[name].get("old") or "–", changes[name].get("new") or "–")
            for name, label in CORRECTABLE_FIELDS
            if name in changes
        ]

    @property
    def verification_answers(self) -> list[tuple[str, bool | None]]:
        return [(label, self.verification.get(key)) for key, label in VERIFICATION_QUESTIONS]
