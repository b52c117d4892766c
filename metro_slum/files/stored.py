"""One concept of a stored file: the model's fields, one check-and-store function, one way to
serve it that checks who may see it and logs every download.

A domain model (grants.Document, families.Evidence) inherits `StoredFile` and names its own
`file` field (where it is kept); its download log inherits `FileDownload` with a foreign key to
it whose ``related_name`` is ``"downloads"``.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from metro_slum.fields import user_fk
from metro_slum.files.inspection import JPEG, PNG, inspect_document


class StoredFile(models.Model):
    """An uploaded file as it was checked: its content (re-encoded where it is a picture), the
    name it came with, its type and size, who uploaded it and when."""

    file = models.FileField(_("file"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    # Personal data (a KTP, a BPJS card): saved by the browser, never shown inside the site.
    personal = True

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def opens_in_browser(self) -> bool:
        """Only pictures that are not personal data open in the browser: a PDF or a workbook is
        saved and opened by the user's own program, never run inside the office's site."""
        return not self.personal and self.content_type in (JPEG, PNG)


class FileDownload(models.Model):
    """Who opened or downloaded a stored file, and when."""

    user = user_fk(_("user"), required=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at"]


@dataclass(frozen=True)
class Checked:
    """An uploaded file that passed inspection, with what will be stored."""

    upload: object
    content_type: str
    content: bytes
    kind: str = ""


def check(uploads: Iterable, *, images_only=lambda upload: False, field: str | None = None):
    """Inspect every upload before any is stored, and refuse the whole batch naming each file
    that failed and why (under `field`, for a form). `uploads`: files, or (kind, file) pairs.
    `images_only(kind)`: whether only a picture is accepted for that kind."""
    checked, errors = [], []
    uploads = [item if isinstance(item, tuple) else ("", item) for item in uploads]
    for kind, upload in uploads:
        try:
            content_type, content = inspect_document(upload, images_only=images_only(kind))
            checked.append(Checked(upload, content_type, content, kind))
        except ValidationError as error:
            named = len(uploads) > 1
            errors += [f"{upload.name}: {m}" if named else m for m in error.messages]
    if errors:
        raise ValidationError({field: errors} if field else errors, code="files_refused")
    return checked


def store(record: StoredFile, checked: Checked, *, by) -> StoredFile:
    """Fill a new record's file fields from a checked upload, validate it and save it."""
    record.file = ContentFile(checked.content, name=checked.upload.name)
    record.original_name = checked.upload.name[:255]
    record.content_type = checked.content_type
    record.size = len(checked.content)
    record.uploaded_by = by
    record.full_clean()
    record.save()
    return record


def serve(request, record: StoredFile) -> FileResponse:
    """Serve a stored file the caller has checked the user may see, and log the download. Never
    kept in a cache (it may be personal data)."""
    record.downloads.create(user=request.user)
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=not record.opens_in_browser(),
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response
