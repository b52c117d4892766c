"""The programme and the people registered in it."""

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
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metro_slum import chronology
from participants.fields import IdentityNumberField, NumberField
from participants.identity import (
    nik_agreement_errors,
    validate_kk,
    validate_nik,
    validate_person_name,
)
from participants.models.places import Kelurahan


class Program(models.Model):
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(
        _("description"), blank=True, max_length=4000, validators=[MaxLengthValidator(4000)]
    )
    total_budget = models.DecimalField(
        _("total budget (Rp)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    grant_ceiling_per_group = models.DecimalField(
        _("grant ceiling per group (Rp)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Who may join a group (participants.eligibility): the ministry's KUBE practice and the
    # programme's target, defaults the office sets per programme.
    max_desil = models.PositiveSmallIntegerField(
        _("highest desil allowed"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Members' households rank in DTSEN desil 1 up to this. The default, 2, is the office's "
            "reading of the programme's target, fakir miskin, as DTSEN's lowest ranks: no "
            "regulation fixes a desil for it (the national programmes' ranges, e.g. PKH desil "
            "1–4, are kept with each kind of aid)."
        ),
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age at joining"), default=18, validators=[MaxValueValidator(100)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age at joining"), default=59, validators=[MaxValueValidator(120)]
    )
    excluded_occupations = models.CharField(
        _("occupations excluded"),
        max_length=300,
        blank=True,
        default="PNS, TNI, Polri, pensiunan",
        help_text=_("Separated by commas; a member whose occupation names one may not join."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "year"], name="participants_program_unique_name_year"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="participants_program_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")),
                name="participants_program_age_range",
                violation_error_message=_(
                    "The oldest age at joining cannot be below the youngest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grant_ceiling_per_group__lte=models.F("total_budget")),
                name="participants_program_ceiling_within_budget",
                violation_error_message=_(
                    "The grant ceiling per group cannot be larger than the total budget."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class Participant(models.Model):
    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    nik = IdentityNumberField(
        _("NIK"),
        unique=True,
        validators=[validate_nik],
        help_text=_("16 digits, as on the KTP. Spaces and dots are removed."),
        error_messages={"unique": _("A participant with this NIK is already registered.")},
    )
    kk_number = IdentityNumberField(
        _("family card number (No. KK)"),
        validators=[validate_kk],
        help_text=_("16 digits, as on the Kartu Keluarga."),
    )
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_person_name])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("birth place"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    address = models.CharField(_("address"), max_length=255)
    rt = models.CharField(
        _("RT"), max_length=3, validators=[RegexValidator(r"^\d{1,3}$", _("RT is 1 to 3 digits."))]
    )
    rw = models.CharField(
        _("RW"), max_length=3, validators=[RegexValidator(r"^\d{1,3}$", _("RW is 1 to 3 digits."))]
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("kelurahan"),
    )
    phone = NumberField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9]{8,15}$",
                _("Enter a phone number of 8 to 15 digits, e.g. 0812 3456 7890."),
            )
        ],
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    monthly_income = models.DecimalField(
        _("monthly income (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    household_size = models.PositiveSmallIntegerField(
        _("household size"), default=1, validators=[MinValueValidator(1)]
    )

    class LegalBasis(models.TextChoices):
        # UU No. 27/2022 on personal data protection, article 20: the grounds for processing.
        PUBLIC_TASK = "public_task", _("Public task of the social services office")
        CONSENT = "consent", _("Consent of the person")

    legal_basis = models.CharField(
        _("legal basis of processing"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.PUBLIC_TASK,
        help_text=_(
            "The programme is a public task of Dinas Sosial; choose consent where the person's "
            "consent is what the office relies on (record its date)."
        ),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    consent_given = models.BooleanField(_("consents to data processing"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    # Messages by SMS or WhatsApp (a tranche recorded, a visit, the payment check) only to those
    # who agreed, until they say stop.
    messages_consent = models.BooleanField(
        _("agrees to receive SMS or WhatsApp messages from the office"),
        default=False,
        db_default=False,  # rows written by the database itself (bulk loads) agree to nothing
    )
    messages_stopped_on = models.DateField(_("asked to stop messages on"), null=True, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name", "pk"]
        permissions = [
            ("view_identity_numbers", _("Can see full NIK and family card numbers")),
            ("export_participants", _("Can export participant, group and grant lists")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__gte=1),
                name="participants_participant_household_size_min_1",
            ),
            models.CheckConstraint(
                condition=Q(consent_given=False) | Q(consent_date__isnull=False),
                name="participants_participant_consent_has_date",
                violation_error_message=_("Enter the date the participant gave consent."),
            ),
        ]
        # Lists are ordered by name (then pk): page 1 and page 500 read the index, not a sort of
        # the whole table. Name search has a trigram index on PostgreSQL (migration 0011).
        indexes = [
            models.Index(fields=["full_name", "id"], name="participant_name_order"),
            models.Index(fields=["kelurahan", "full_name", "id"], name="participant_place_name"),
            # A household is found by its family card: the family record, aid doubles, reach.
            models.Index(fields=["kk_number"], name="participant_family_card"),
        ]

    def __str__(self):
        return self.full_name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember where the person lived when loaded: only a move needs the group check below.
        instance._loaded_kelurahan_id = instance.__dict__.get("kelurahan_id")
        return instance

    def clean(self):
        errors = {}
        agreement = nik_agreement_errors(
            self.nik or "",
            self.birth_date,
            None if not self.sex else self.sex == self.Sex.FEMALE,
        )
        if agreement:
            errors["nik"] = agreement
        if self.legal_basis == self.LegalBasis.CONSENT and not self.consent_given:
            errors["consent_given"] = _(
                "The legal basis is consent: record that the person consented, and when, or "
                "choose the public task as the basis."
            )
        if self.consent_given and self.consent_date is None:
            errors["consent_date"] = _("Enter the date the participant gave consent.")
        for name, texts in chronology.problems(self).items():
            errors.setdefault(name, texts)
        moved = self.kelurahan_id != getattr(self, "_loaded_kelurahan_id", None)
        if self.pk and self.kelurahan_id and moved:
            elsewhere = (
                self.memberships.filter(participant_id=self.pk)
                .exclude(group__kelurahan_id=self.kelurahan_id)
                .select_related("group__kelurahan")
                .first()
            )
            if elsewhere:
                errors["kelurahan"] = _(
                    "This participant is a member of group %(group)s in kelurahan %(kelurahan)s. "
                    "Remove them from that group before moving them to another kelurahan."
                ) % {"group": elsewhere.group.name, "kelurahan": elsewhere.group.kelurahan.name}
        if errors:
            raise ValidationError(errors)
