"""Checks on uploaded documents: the whole content decides, not the name or the first bytes.

A PDF is parsed, every object (those packed in object streams too), and refused if it carries
scripts, launch actions, embedded files or an HTML page; an image is decoded, if its size is within
the pixel limit, and stored re-encoded (whatever followed the picture, and its metadata with the
place it was taken, is dropped); a workbook may hold only a workbook's parts (no embedded objects,
links to other files or DDE formulas) and is opened only if it unpacks within the limits. Each
inspection runs with a time and memory budget (metro_slum.uploads).
"""

import io
import logging
import re
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from metro_slum import uploads

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


# PDF names that run something or carry something: no scanned document needs them.
PDF_DANGEROUS_NAMES = frozenset(
    {"JavaScript", "JS", "Launch", "OpenAction", "AA", "EmbeddedFile", "EmbeddedFiles",
     "RichMedia", "XFA", "SubmitForm", "ImportData", "GoToR", "GoToE"}
)  # fmt: skip
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#_.+-]+)")
_HTML_MARKERS = (b"<html", b"<script", b"<!doctype", b"<body", b"<iframe", b"<svg")
# A workbook's own parts; anything else (a program, a macro) refuses the file.
_XLSX_PARTS = ("[Content_Types].xml", "_rels/", "docProps/", "xl/", "customXml/")
_XLSX_FORBIDDEN = re.compile(
    r"(vbaProject\.bin|\.(exe|dll|bat|cmd|com|js|vbs|scr|msi|ps1|jar)$"
    r"|^xl/(embeddings|externalLinks|activeX)/)",
    re.I,
)
# A DDE formula runs a program when the workbook is opened: =cmd|' /C calc'!A0.
_DDE_FORMULA = re.compile(rb"<f\b[^>]*>[^<]*\|[^<]*!", re.I)


def _refuse(message, code="unsafe"):
    raise ValidationError(message, code=code)


def _pdf_names(data: bytes) -> set[str]:
    """Return every /Name in the file, with #xx escapes decoded (/J#61vaScript is JavaScript)."""
    names = set()
    for raw in _PDF_NAME.findall(data):
        decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        names.add(decoded.decode("latin-1"))
    return names


def _names_in(value, found: set, depth: int = 0) -> None:
    """Collect the names of one object's dictionaries and arrays, without following references:
    every indirect object is read on its own."""
    if depth > 50 or isinstance(value, IndirectObject):
        return
    if isinstance(value, NameObject):
        found.add(str(value)[1:])
    elif isinstance(value, DictionaryObject):
        for key, item in value.items():
            found.add(str(key)[1:])
            _names_in(item, found, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            _names_in(item, found, depth + 1)


def _pdf_object_names(reader: PdfReader) -> set[str]:
    """Every name of every object the file holds: in its cross-reference table and packed in
    compressed object streams, where a scan of the raw bytes sees nothing."""
    found: set[str] = set()
    _names_in(reader.trailer, found)
    references = [IndirectObject(n, 0, reader) for n in reader.xref_objStm] + [
        IndirectObject(n, generation, reader)
        for generation, objects in reader.xref.items()
        for n in objects
    ]
    for reference in references:
        try:
            _names_in(reader.get_object(reference), found)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
            continue
    return found


def _refuse_active_pdf():
    _refuse(
        _(
            "The PDF contains scripts, automatic actions or attached files. Print it to PDF "
            "again or scan the paper document, then upload that."
        )
    )


def _check_pdf(data: bytes) -> bytes:
    if _pdf_names(data) & PDF_DANGEROUS_NAMES:
        _refuse_active_pdf()
    if any(marker in data.lower() for marker in _HTML_MARKERS):
        _refuse(_("The PDF also contains a web page. Scan the paper document and upload that."))
    try:
        # pypdf reports repairable damage as warnings; only a file it cannot read is refused.
        logging.getLogger("pypdf").disabled = True
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            raise PyPdfError("no page")
        names = _pdf_object_names(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        _refuse(_("The PDF cannot be read (damaged or incomplete). Save or scan it again."))
    if names & PDF_DANGEROUS_NAMES:
        _refuse_active_pdf()
    return data


def _reencode_image(data: bytes, content_type: str) -> bytes:
    uploads.check_image_pixels(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if content_type == JPEG and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG" if content_type == JPEG else "PNG", quality=90)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(
            _("The picture cannot be read (damaged or not a real photo). Take or scan it again.")
        )
    return out.getvalue()


def _check_xlsx(data: bytes) -> bytes:
    uploads.check_zip(io.BytesIO(data), uploads.DOCUMENT_ZIP)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if any(not n.startswith(_XLSX_PARTS) or _XLSX_FORBIDDEN.search(n) for n in names):
            _refuse(
                _(
                    "The workbook contains something other than sheets (a program, macros, an "
                    "embedded object or a link to another file). Save it again as a plain Excel "
                    "workbook (.xlsx)."
                )
            )
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if any(_DDE_FORMULA.search(archive.read(n)) for n in sheets):
            _refuse(
                _(
                    "The workbook has a formula that starts another program (DDE). Remove it, "
                    "or copy the values only into a new workbook, and upload that."
                )
            )
    try:
        load_workbook(io.BytesIO(data), read_only=True).close()
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        _refuse(_("The workbook cannot be opened. Save it again in Excel or LibreOffice."))
    return data


def inspect_document(uploaded, *, images_only: bool = False) -> tuple[str, bytes]:
    """Return the real content type of an upload and the content to store, or refuse it.

    Images come back re-encoded; other files as they were, after their whole content is checked,
    within the inspection's time and memory budget.
    """
    if uploaded.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s. Scan at a lower resolution.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_DOCUMENT_SIZE)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return uploads.within_budget(_inspect, data, uploaded.name, images_only)


def _inspect(data: bytes, file_name: str, images_only: bool) -> tuple[str, bytes]:
    name = file_name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    claimed = EXTENSIONS.get(extension)
    actual = _sniff(io.BytesIO(data))
    allowed = (JPEG, PNG) if images_only else (PDF, JPEG, PNG, XLSX)
    if claimed is None or actual is None or actual != claimed or actual not in allowed:
        message = (
            _("Only a JPG or PNG photo can be uploaded here.")
            if images_only
            else _(
                "The file %(name)s is not a real PDF, JPG, PNG or XLSX file (its content does not "
                "match). Upload the scanned document as PDF, JPG or PNG."
            )
            % {"name": file_name}
        )
        raise ValidationError(message, code="bad_type")
    if actual == XLSX:
        return actual, _check_xlsx(data)
    if actual == PDF:
        return actual, _check_pdf(data)
    return actual, _reencode_image(data, actual)
