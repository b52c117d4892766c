"""The office's own DTSEN settings: the re-ranking cycle, and the steps and signatories of its
proposals to SIKS-NG. One record, edited in admin; nothing here is fixed in code."""

import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from solo.models import SingletonModel

from participants import periods


class DtsenSetting(SingletonModel):
    """How the office reads DTSEN and sends its proposals."""

    class Cycle(models.IntegerChoices):
        MONTHLY = periods.MONTHLY, _("monthly")
        QUARTERLY = periods.QUARTERLY, _("quarterly")
        HALF_YEARLY = periods.HALF_YEARLY, _("half-yearly")
        YEARLY = periods.YEARLY, _("yearly")

    cycle_months = models.PositiveSmallIntegerField(
        _("DTSEN re-ranking cycle"),
        choices=Cycle.choices,
        default=Cycle.QUARTERLY,
        help_text=_(
            "How often BPS re-ranks the households (announced as quarterly). Readings are kept "
            "by their list's date; pages show them in these periods."
        ),
    )
    current_cycles = models.PositiveSmallIntegerField(
        _("a reading counts as current for (periods)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "Its own period included: 2 means this period's reading and the last one's. An older "
            "reading is shown as stale and asks for re-checking."
        ),
    )
    proposal_wait_lists = models.PositiveSmallIntegerField(
        _("lists to wait for a proposal's outcome"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "A proposal not yet seen in this many DTSEN lists after it was sent is marked as not "
            "reflected, so that the office asks in SIKS-NG or proposes again."
        ),
    )
    verifier_name = models.CharField(
        _("the office's verifier"),
        max_length=150,
        blank=True,
        help_text=_("Verifies the proposals and approves them in SIKS-NG; signs the minutes."),
    )
    verifier_nip = models.CharField(_("verifier's NIP"), max_length=30, blank=True)
    head_name = models.CharField(
        _("head of the office"),
        max_length=150,
        blank=True,
        help_text=_("Kepala Dinas Sosial: approves in SIKS-NG and signs the letter."),
    )
    head_nip = models.CharField(_("head's NIP"), max_length=30, blank=True)
    ground_check = models.BooleanField(
        _("a PKH facilitator checks each proposal on the ground"),
        default=True,
    )
    mayor_submits = models.BooleanField(
        _("the mayor submits the proposals to the ministry"),
        default=True,
        help_text=_(
            "Where the city does it, the letter is the mayor's; otherwise the head of the office "
            "signs it and the approval in SIKS-NG is the submission."
        ),
    )
    mayor_name = models.CharField(_("the mayor"), max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("DTSEN and SIKS-NG settings")

    def __str__(self):
        return str(_("DTSEN and SIKS-NG settings"))

    def period_of(self, day: datetime.date) -> str:
        return periods.period_label(day, self.cycle_months)

    def is_stale(self, as_of: datetime.date) -> bool:
        """Whether a reading of this date is too old to count as current."""
        return as_of < self.current_since()

    def current_since(self, today: datetime.date | None = None) -> datetime.date:
        """The oldest as-of date whose readings still count as current."""
        return periods.current_since(
            today or timezone.localdate(), self.cycle_months, self.current_cycles
        )

    def steps(self, *, basis_label: str) -> list[str]:
        """A batch's steps, in order, as the office runs them."""
        steps = [
            basis_label,
            _("Verification by the office (%(who)s)")
            % {"who": self.verifier_name or _("the office's verifier")},
        ]
        if self.ground_check:
            steps.append(_("Ground check by the PKH facilitator"))
        steps.append(
            _("Approval in SIKS-NG by the verifier and the head of the office (%(who)s)")
            % {"who": self.head_name or _("Kepala Dinas Sosial")}
        )
        if self.mayor_submits:
            steps.append(_("Submission by the mayor to the Ministry of Social Affairs"))
        steps.append(_("BPS ranks the family; the outcome is read from the next DTSEN lists"))
        return steps


def dtsen_setting() -> DtsenSetting:
    """The office's settings, read through the cache and never written by reading them: the
    defaults until the office saves its own (a save puts the record in the cache at once)."""
    cached = caches[settings.SOLO_CACHE].get(DtsenSetting.get_cache_key())
    if cached is not None:
        return cached
    pk = DtsenSetting.singleton_instance_id
    setting = DtsenSetting.objects.filter(pk=pk).first() or DtsenSetting(pk=pk)
    setting.set_to_cache()
    return setting
