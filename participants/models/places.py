"""The places: kecamatan, kelurahan, and the social workers assigned to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
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


def neighbourhood_code(value) -> str:
    """An RT or RW number as the office writes it: three digits ("3", "03" and "003" are one)."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise ValueError(_("Write the RT or RW as a number from 1 to 999."))
    return f"{int(text):03d}"


class NeighbourhoodCode(models.Model):
    """An RW or RT whose code is kept as three digits, however it was typed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if str(self.code).isdigit():
            self.code = neighbourhood_code(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        try:
            self.code = neighbourhood_code(self.code)
        except ValueError as error:
            raise ValidationError({"code": str(error)}) from None


class RW(NeighbourhoodCode):
    """A rukun warga of a kelurahan: the level above the RT."""

    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, related_name="rws", verbose_name=_("kelurahan")
    )
    code = models.CharField(_("RW"), max_length=3)

    class Meta:
        verbose_name = _("RW")
        verbose_name_plural = _("RW")
        ordering = ["kelurahan__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "code"], name="participants_rw_unique_code"
            )
        ]

    def __str__(self):
        return f"RW {self.code} {self.kelurahan}"


class RT(NeighbourhoodCode):
    """A rukun tetangga: the smallest place the office counts, where the slum survey is taken.

    Its totals (households, buildings, area, lengths of road and drainage) are the ones the last
    survey found; a new survey starts from them. Its participants are those whose address carries
    its kelurahan, RW and RT (`residents`), so the link never drifts from the address."""

    rw = models.ForeignKey(RW, on_delete=models.PROTECT, related_name="rts", verbose_name=_("RW"))
    code = models.CharField(_("RT"), max_length=3)
    households = models.PositiveIntegerField(_("households"), default=0)
    buildings = models.PositiveIntegerField(_("buildings"), default=0)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=8, decimal_places=2, default=0)
    road_length_m = models.PositiveIntegerField(_("length of neighbourhood roads (m)"), default=0)
    drainage_length_m = models.PositiveIntegerField(_("length of drains (m)"), default=0)
    road_ideal_length_m = models.PositiveIntegerField(
        _("ideal length of neighbourhood roads (m)"), default=0
    )
    drainage_ideal_length_m = models.PositiveIntegerField(
        _("ideal length of drains (m)"), default=0
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RT")
        verbose_name_plural = _("RT")
        ordering = ["rw__kelurahan__code", "rw__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rw", "code"], name="participants_rt_unique_code")
        ]

    def __str__(self):
        return f"RT {self.code}/RW {self.rw.code} {self.rw.kelurahan}"

    @property
    def kelurahan(self):
        return self.rw.kelurahan

    @property
    def label(self) -> str:
        return f"RT {self.code}/RW {self.rw.code}"

    def residents(self):
        return self.rw.kelurahan.participants.filter(
            rw__in=code_spellings(self.rw.code),
            rt__in=code_spellings(self.code),
        )


def code_spellings(code: str) -> list[str]:
    """The ways an address may write a three-digit RT or RW code ("003": "3", "03", "003")."""
    number = int(code)
    return sorted({str(number), f"{number:02d}", f"{number:03d}"})
