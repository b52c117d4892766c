"""The records every app shares: the export log and the files waiting between two requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from metro_slum.export_kinds import export_kinds
from metro_slum.fields import user_fk


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
