from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models.people import Participant


class Message(models.Model):
    """One SMS or WhatsApp message to a participant or a complainant: what, why, and what the
    gateway did with it. Queued once per `key`; sent at most once; retried with back-off on a
    gateway failure, then failed — never dropped."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    class Reason(models.TextChoices):
        TRANCHE = "tranche", _("A tranche recorded")
        VISIT = "visit", _("A monitoring visit")
        COMPLAINT = "complaint", _("A complaint's status")
        VERIFICATION = "verification", _("Payment verification")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("participant"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # About a sensitive complaint: seen only by those who may see such complaints.
    sensitive = models.BooleanField(_("about a sensitive complaint"), default=False)
    text = models.CharField(_("text"), max_length=480)
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    # The event it tells of ("tranche:12:participant:34"): the same event is never queued twice.
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # Why it was not sent (no consent, asked to stop, no valid number) or the last error.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    gateway_id = models.CharField(_("gateway's id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        permissions = [
            ("view_phone_numbers", _("Can see full phone numbers in the message log")),
        ]

    def __str__(self):
        # No phone number: a record's text reaches titles, breadcrumbs and history.
        return f"{self.get_reason_display()} #{self.pk} ({self.get_status_display()})"
