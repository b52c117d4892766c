"""The joint business groups and their members."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models.people import Participant, Program
from participants.models.places import Kelurahan

MAX_GROUP_MEMBERS = 10


class ParticipantGroup(models.Model):
    class BusinessType(models.TextChoices):
        JAMU = "herbal_drinks", _("Traditional herbal drinks (jamu)")
        LPG = "lpg", _("LPG gas trading")
        KUE = "cakes", _("Assorted cakes")
        SAYURAN = "vegetables", _("Vegetable growing")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="groups", verbose_name=_("programme")
    )
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, related_name="groups", verbose_name=_("kelurahan")
    )
    business_type = models.CharField(
        _("business type"), max_length=20, choices=BusinessType.choices, blank=True
    )
    business_type_other = models.CharField(
        _("other business type"),
        max_length=150,
        blank=True,
        help_text=_("Describe the business when the type is 'Other'."),
    )
    notes = models.TextField(
        _("notes"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The roster's summary, for counting a programme's complete groups and members without
    # reading every membership: kept by metro_slum.figures in the same
    # transaction as every change of the memberships, from the one rule (roster_gaps).
    roster_size = models.PositiveSmallIntegerField(
        _("members"), default=0, db_default=0, editable=False
    )
    roster_complete = models.BooleanField(
        _("complete"), default=False, db_default=False, editable=False
    )

    history = HistoricalRecords(excluded_fields=["roster_size", "roster_complete"])

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["program", "kelurahan__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kelurahan", "name"],
                name="participants_group_unique_name_per_program_kelurahan",
                violation_error_message=_(
                    "This kelurahan already has a group with this name in this programme."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(business_type="other") | ~Q(business_type_other=""),
                name="participants_group_other_business_described",
                violation_error_message=_("Describe the business when the type is 'Other'."),
            ),
        ]
        indexes = [
            models.Index(fields=["program", "roster_complete"], name="participants_group_complete"),
        ]

    def __str__(self):
        return f"{self.name} ({self.kelurahan})"

    @property
    def titled_name(self) -> str:
        """The group as a title names it, "Kelompok …", without doubling a name that says so."""
        return self.name if self.name.lower().startswith("kelompok") else f"Kelompok {self.name}"

    @property
    def business_label(self) -> str:
        if self.business_type == self.BusinessType.OTHER:
            return self.business_type_other
        return self.get_business_type_display()

    def clean(self):
        if self.business_type == self.BusinessType.OTHER and not self.business_type_other.strip():
            raise ValidationError(
                {"business_type_other": _("Describe the business when the type is 'Other'.")}
            )
        if self.pk and self.memberships.exists():
            stored = ParticipantGroup.objects.values("program_id", "kelurahan_id").get(pk=self.pk)
            if stored["program_id"] != self.program_id:
                raise ValidationError(
                    {"program": _("A group with members cannot move to another programme.")}
                )
            if stored["kelurahan_id"] != self.kelurahan_id:
                raise ValidationError(
                    {"kelurahan": _("A group with members cannot move to another kelurahan.")}
                )


class Membership(models.Model):
    class Role(models.TextChoices):
        KETUA = "chair", _("Chair (ketua)")
        SEKRETARIS = "secretary", _("Secretary (sekretaris)")
        BENDAHARA = "treasurer", _("Treasurer (bendahara)")
        ANGGOTA = "member", _("Member (anggota)")

    OFFICER_ROLES = (Role.KETUA, Role.SEKRETARIS, Role.BENDAHARA)

    group = models.ForeignKey(
        ParticipantGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("participant"),
    )
    # Copied from the group so that the database itself can hold "one group per programme".
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("programme"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ANGGOTA)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "pk"]
        indexes = [models.Index(fields=["group", "id"], name="membership_group_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "program"],
                name="participants_membership_one_group_per_program",
                violation_error_message=_(
                    "This participant is already in a group of this programme."
                ),
            ),
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=Q(role__in=["chair", "secretary", "treasurer"]),
                name="participants_membership_one_officer_per_role",
                violation_error_message=_("The group already has someone in this role."),
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self.program_id = self.group.program_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.group_id:
            self.program_id = self.group.program_id
