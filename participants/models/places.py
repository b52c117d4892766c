"""The places: kecamatan, kelurahan, and the social workers assigned to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.regions import region_name_key


class Kecamatan(models.Model):
    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]

    def __str__(self):
        return self.name


class KelurahanQuerySet(models.QuerySet):
    def by_name(self, name: str):
        """Filter by name, forgiving case, spaces and a leading 'Kelurahan'/'Kel.'."""
        return self.filter(name_key=region_name_key(name))

    def program_areas(self):
        return self.filter(is_program_area=True)


class Kelurahan(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(max_length=100, unique=True, editable=False)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan", verbose_name=_("kecamatan")
    )
    is_program_area = models.BooleanField(
        _("slum programme area"),
        default=False,
        help_text=_("One of the five slum kelurahan where the programme runs."),
    )

    objects = KelurahanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        ordering = ["code"]
        permissions = [
            ("view_all_kelurahan", _("Can see groups and participants of every kelurahan")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = region_name_key(self.name)
        super().save(*args, **kwargs)


class KelurahanAssignment(models.Model):
    """A social worker's kelurahan: the places whose groups they may see and change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kelurahan_assignments",
        verbose_name=_("user"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("kelurahan"),
    )
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kelurahan assignment")
        verbose_name_plural = _("kelurahan assignments")
        ordering = ["user__username", "kelurahan__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kelurahan"], name="participants_assignment_unique_user_kelurahan"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.kelurahan}"
