"""Files made to hurt a server or its users, each made here for real and refused with a message."""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grants.models import Document
from metro_slum import uploads
from metro_slum.files.inspection import inspect_document
from participants.spreadsheet import importer as imports
from tests.cast import submitted_grant

MiB = 1024 * 1024


def workbook(*, formula=None) -> bytes:
    book = Workbook()
    book.active["A1"] = "Nama"
    if formula:
        book.active["B1"] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def shared_strings_bomb(unpacked: int) -> bytes:
    """A workbook whose shared strings unpack to `unpacked` bytes from a few hundred KB."""
    strings = b"<sst>" + b"<si><t>" + b"A" * unpacked + b"</t></si></sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(workbook())) as source:
            for item in source.infolist():
                if item.filename != "xl/sharedStrings.xml":
                    archive.writestr(item, source.read(item))
        archive.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_at_once():
    bomb = shared_strings_bomb(300 * MiB)
    assert len(bomb) < 2 * MiB
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        inspect_document(SimpleUploadedFile("rab.xlsx", bomb))
    assert time.monotonic() - started < 5
    assert "terurai menjadi lebih dari 50,0\xa0MB" in caught.value.messages[0]


def test_a_workbook_lying_about_its_size_is_refused_as_damaged():
    data = bytearray(with_part(workbook(), "xl/notes.xml", b"<a>" + b"B" * 4 * MiB + b"</a>"))
    # Declare the part ten times smaller than it unpacks (its local and central headers).
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.rfind(header)
        size = struct.unpack_from("<I", data, at + offset)[0]
        struct.pack_into("<I", data, at + offset, size // 10)
    with pytest.raises(ValidationError) as caught:
        uploads.check_zip(io.BytesIO(bytes(data)))
    assert "rusak" in caught.value.messages[0]


def test_the_staff_import_refuses_a_workbook_bomb_before_parsing(admin_staff):
    with pytest.raises(imports.ImportRefused) as caught:
        imports.run_import(
            SimpleUploadedFile("peserta.xlsx", shared_strings_bomb(400 * MiB)),
            user=admin_staff,
            dry_run=True,
        )
    assert "terurai menjadi lebih dari" in str(caught.value)


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is width × height (a 1-bit picture of that size, all white)."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    pixels = zlib.compress(row * min(height, 64), 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_picture_over_forty_megapixels_is_refused_before_it_is_decoded():
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        inspect_document(SimpleUploadedFile("foto.png", png_header(13_000, 13_000)))
    assert time.monotonic() - started < 5
    assert caught.value.messages[0].startswith("Gambar ini berukuran 13000 × 13000 piksel (169")


def _spin():
    while True:
        pass


def _swell():
    return bytearray(2048 * MiB)


def test_an_inspection_past_its_time_is_stopped_and_refused():
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        uploads.within_budget(_spin, seconds=1)
    assert time.monotonic() - started < 6
    assert "memakan waktu atau memori" in caught.value.messages[0]


def test_an_inspection_past_its_memory_is_stopped_and_refused():
    with pytest.raises(ValidationError) as caught:
        uploads.within_budget(_swell, memory=64 * MiB)
    assert "memakan waktu atau memori" in caught.value.messages[0]


def test_a_refusal_inside_the_budget_comes_back_as_it_was():
    def refuse():
        raise ValidationError("Alasan penolakan", code="bad_type")

    with pytest.raises(ValidationError) as caught:
        uploads.within_budget(refuse)
    assert caught.value.messages == ["Alasan penolakan"]
    assert uploads.within_budget(sum, [1, 2, 3]) == 6


def pdf_with_object_stream() -> bytes:
    """A one-page PDF whose catalog, with an OpenAction running JavaScript, is packed in a
    compressed object stream: the raw bytes show no /JavaScript at all."""
    packed = [
        (2, b"<</Type/Catalog/Pages 3 0 R/OpenAction 4 0 R>>"),
        (4, b"<</S/JavaScript/JS(app.alert\\(1\\))>>"),
    ]
    offsets, body = [], b""
    for number, text in packed:
        offsets.append(f"{number} {len(body)}")
        body += text + b" "
    index = (" ".join(offsets) + " ").encode()
    stream = zlib.compress(index + body)
    out = bytearray(b"%PDF-1.5\n")
    where = {}

    def obj(number, text):
        where[number] = len(out)
        out.extend(f"{number} 0 obj\n".encode() + text + b"\nendobj\n")

    obj(
        1,
        b"<</Type/ObjStm/N 2/First %d/Filter/FlateDecode/Length %d>>\n" % (len(index), len(stream))
        + b"stream\n"
        + stream
        + b"\nendstream",
    )
    obj(3, b"<</Type/Pages/Kids[5 0 R]/Count 1>>")
    obj(5, b"<</Type/Page/Parent 3 0 R/MediaBox[0 0 595 842]>>")
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in range(1, 7):
        if number in (2, 4):
            rows.append(struct.pack(">BIH", 2, 1, 0 if number == 2 else 1))
        elif number == 6:
            rows.append(struct.pack(">BIH", 1, len(out), 0))
        else:
            rows.append(struct.pack(">BIH", 1, where[number], 0))
    xref = zlib.compress(b"".join(rows))
    start = len(out)
    obj(
        6,
        b"<</Type/XRef/Size 7/W[1 4 2]/Root 2 0 R/Filter/FlateDecode/Length %d>>\n" % len(xref)
        + b"stream\n"
        + xref
        + b"\nendstream",
    )
    out.extend(f"startxref\n{start}\n%%EOF\n".encode())
    return bytes(out)


def test_a_pdf_hiding_javascript_in_an_object_stream_is_refused():
    data = pdf_with_object_stream()
    assert b"JavaScript" not in data
    with pytest.raises(ValidationError) as caught:
        inspect_document(SimpleUploadedFile("proposal.pdf", data))
    assert "skrip" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (with_part(workbook(), "xl/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0" * 64), "objek"),
        (
            with_part(workbook(), "xl/externalLinks/externalLink1.xml", b"<externalLink/>"),
            "tautan ke berkas lain",
        ),
        (workbook(formula="=cmd|' /C calc'!A0"), "DDE"),
    ],
    ids=["ole-object", "external-link", "dde-formula"],
)
def test_a_workbook_with_an_object_a_link_or_a_dde_formula_is_refused(data, words):
    with pytest.raises(ValidationError) as caught:
        inspect_document(SimpleUploadedFile("rab.xlsx", data))
    assert words in caught.value.messages[0]


def test_a_plain_workbook_with_ordinary_formulas_is_still_accepted():
    content_type, _content = inspect_document(
        SimpleUploadedFile("rab.xlsx", workbook(formula="=SUM(1,2)"))
    )
    assert content_type.endswith("spreadsheetml.sheet")


@pytest.mark.django_db
def test_a_pdf_is_downloaded_not_shown_in_the_browser(client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    client.force_login(cast.supervisor)
    pdf = grant.documents.filter(kind=Document.Kind.PROPOSAL).first()
    response = client.get(reverse("grants:document", args=[pdf.pk]))
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_an_import_whose_reading_passes_its_budget_is_refused_and_writes_nothing(
    admin_staff, monkeypatch
):
    from metro_slum.spreadsheets import reading
    from participants.models import Participant
    from tests.participants import spreadsheet_files as files

    monkeypatch.setattr(reading, "READING_SECONDS", 0)  # stopped as soon as it starts
    with pytest.raises(imports.ImportRefused) as caught:
        imports.run_import(
            files.xlsx([files.person(n) for n in range(1, 4)]), user=admin_staff, dry_run=False
        )
    assert "memakan waktu atau memori" in str(caught.value)
    assert not Participant.objects.exists()
