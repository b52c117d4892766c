"""Checks on uploaded documents: the content decides the type, not the file name."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_DOCUMENT_SIZE = 5 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".xlsx": XLSX}


def _sniff(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def inspect_document(uploaded, *, images_only: bool = False) -> str:
    """Return the real content type of an upload, or refuse it with a message saying why."""
    if uploaded.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s. Scan at a lower resolution.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_DOCUMENT_SIZE)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
    name = uploaded.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    claimed = EXTENSIONS.get(extension)
    actual = _sniff(uploaded)
    allowed = (JPEG, PNG) if images_only else (PDF, JPEG, PNG, XLSX)
    if claimed is None or actual is None or actual != claimed or actual not in allowed:
        message = (
            _("Only a JPG or PNG photo can be uploaded here.")
            if images_only
            else _(
                "The file %(name)s is not a real PDF, JPG, PNG or XLSX file (its content does not "
                "match). Upload the scanned document as PDF, JPG or PNG."
            )
            % {"name": uploaded.name}
        )
        raise ValidationError(message, code="bad_type")
    return actual
