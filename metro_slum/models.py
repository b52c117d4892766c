"""The records every app shares: the export log and the files waiting between two requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from metro_slum.export_kinds import export_kinds
from metro_slum.fields import user_fk
from metro_slum.languages import reads_another_language


class ExportRecord(models.Model):
    """Who took which list out of the office, when, how large, and whether NIKs were masked.

    The kinds of list are registered by the app that owns each export (metro_slum.export_kinds)."""

    user = user_fk(_("user"), "exports", required=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    kind = models.CharField(_("list"), max_length=20, choices=export_kinds)
    scope = models.CharField(_("scope"), max_length=300)
    file_format = models.CharField(_("format"), max_length=10)
    row_count = models.PositiveIntegerField(_("rows"))
    masked = models.BooleanField(_("identity numbers masked"))

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("export log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.kind} {self.created_at:%d/%m/%Y %H:%M}"


class WaitingFile(models.Model):
    """An uploaded list waiting between its preview and its confirmation (with the rows its
    preview read from it), or the list of its problems waiting to be downloaded.

    Kept in the database, not on one server's disk, so that the confirmation or the download
    may reach any app server behind the load balancer. It holds personal data: it is deleted
    when the import is confirmed or refused, and `cleanup_imports` removes abandoned ones.
    """

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Uploaded list")
        ERRORS = "errors", _("List of problems")
        # What the preview read from an upload, so that its confirmation need not read it again.
        READ = "read", _("Rows read from an uploaded list")

    token = models.CharField(_("token"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    data = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("waiting file")
        verbose_name_plural = _("waiting files")

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%d/%m/%Y %H:%M}"


class ScheduledJob(models.Model):
    """When a periodic job (metro_slum.background.every) was last enqueued and is due next. Its
    row is locked while a scheduler enqueues it, so two schedulers never enqueue it twice."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    last_run_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)
    next_run_at = models.DateTimeField(_("next due"))

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Notice(models.Model):
    """Something a user should know: a plan returned, a grant decided, a tranche recorded, a
    complaint assigned or overdue, work due. Read in the portal; e-mailed at once or in a
    daily digest, as the user chose. Never a NIK, nothing the user may not see."""

    user = user_fk(_("user"), "notices", required=True)
    kind = models.CharField(_("kind"), max_length=40)
    text = models.CharField(_("text"), max_length=300)
    # The same notice for a reader in English (empty for one written before it was kept).
    text_en = models.CharField(_("text in English"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # The same reminder is given once (e.g. "work-due:<user>:<day>").
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="metro_slum_notice_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text

    @property
    def shown_text(self) -> str:
        """In the reader's language: the office's, or English where it was written in it too."""
        return self.text_en if self.text_en and reads_another_language() else self.text


class NoticeSetting(models.Model):
    """How a user wants notices by e-mail: each at once, a daily digest, or none."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Each notice at once")
        DIGEST = "digest", _("A daily digest")
        NONE = "none", _("No e-mail (the portal only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_setting",
        verbose_name=_("user"),
    )
    email_mode = models.CharField(
        _("notices by e-mail"), max_length=10, choices=Mode.choices, default=Mode.DIGEST
    )

    class Meta:
        verbose_name = _("notice setting")
        verbose_name_plural = _("notice settings")

    def __str__(self):
        return f"{self.user}: {self.get_email_mode_display()}"


class OfflineSubmission(models.Model):
    """A form sent from a phone under the key the phone made for it, written in the same
    transaction as what the form recorded: the same key sent again is answered "already saved"
    and records nothing twice (metro_slum.offline). A key belongs to the user who sent it: the
    same key from someone else is theirs to record, never "already saved"."""

    key = models.UUIDField(_("key"))
    user = user_fk(_("user"), required=True)
    url = models.CharField(_("form"), max_length=200)
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    message = models.CharField(_("answer"), max_length=300, blank=True)
    next_url = models.CharField(_("page"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("form sent from a phone")
        verbose_name_plural = _("forms sent from phones")
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="offline_key_once_per_user")
        ]

    def __str__(self):
        return f"{self.url} {self.saved_at:%d/%m/%Y %H:%M}"
