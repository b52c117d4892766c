import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from grants.demo import PDF, PNG
from metro_slum.files.inspection import JPEG, MAX_DOCUMENT_SIZE, XLSX, inspect_document
from metro_slum.files.inspection import PDF as PDF_TYPE
from metro_slum.files.inspection import PNG as PNG_TYPE


def jpg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return buffer.getvalue()


JPG = jpg_bytes()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content)


def xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("proposal.pdf", PDF, PDF_TYPE),
        ("KTP.JPG", JPG, JPEG),
        ("foto.jpeg", JPG, JPEG),
        ("buku.png", PNG, PNG_TYPE),
        ("rab.xlsx", None, XLSX),
    ],
)
def test_real_documents_are_accepted_by_their_content(name, content, kind):
    assert inspect_document(upload(name, content or xlsx_bytes()))[0] == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proposal.pdf", EXE),  # a program renamed as a PDF
        ("proposal.exe", EXE),
        ("foto.pdf", PNG),  # a photo named as a PDF
        ("scan.png", PDF),
        ("rab.xlsx", b"PK\x03\x04not really a zip"),
        ("arsip.xlsx", None),  # a zip that is not a workbook
        ("catatan.txt", b"hello"),
        ("tanpa-nama", PDF),
    ],
)
def test_files_whose_content_does_not_match_are_refused(name, content):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "x")
        content = buffer.getvalue()
    with pytest.raises(ValidationError) as caught:
        inspect_document(upload(name, content))
    assert caught.value.messages == [
        f"Berkas {name} bukan berkas PDF, JPG, PNG atau XLSX yang sebenarnya (isinya tidak cocok). "
        "Unggah dokumen hasil pindaian dalam bentuk PDF, JPG atau PNG."
    ]


def test_an_oversized_file_is_refused_with_its_size():
    big = upload("besar.pdf", PDF + b"0" * MAX_DOCUMENT_SIZE)
    with pytest.raises(ValidationError) as caught:
        inspect_document(big)
    assert "paling besar 5,0\xa0MB" in caught.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        inspect_document(upload("kosong.pdf", b""))
    assert caught.value.messages == ["Berkas kosong. Pilih berkasnya lagi."]


def test_only_images_are_accepted_as_photos():
    inspect_document(upload("foto.png", PNG), images_only=True)
    with pytest.raises(ValidationError) as caught:
        inspect_document(upload("foto.pdf", PDF), images_only=True)
    assert caught.value.messages == ["Di sini hanya dapat diunggah foto JPG atau PNG."]


def pdf_with(extra: bytes) -> bytes:
    return PDF.replace(b"/Pages 2 0 R>>", b"/Pages 2 0 R" + extra + b">>", 1)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (pdf_with(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"), "skrip"),
        (pdf_with(b"/OpenAction<</S/J#61vaScript/JS(app.alert(1))>>"), "skrip"),
        (pdf_with(b"/AA<</O<</S/Launch/F(cmd.exe)>>>>"), "skrip"),
        (pdf_with(b"/Names<</EmbeddedFiles 9 0 R>>"), "skrip"),
        (PDF + b"<html><script>alert(1)</script></html>", "halaman web"),
        (b"%PDF-1.4\nnot a pdf at all\n%%EOF", "tidak dapat dibaca"),
    ],
)
def test_hostile_or_broken_pdfs_are_refused(content, words):
    with pytest.raises(ValidationError) as caught:
        inspect_document(upload("proposal.pdf", content))
    assert words in caught.value.messages[0]


def test_an_image_is_stored_re_encoded_without_what_followed_it():
    hidden = PNG + b"<html><script>alert(1)</script></html>"
    kind, stored = inspect_document(upload("foto.png", hidden))
    assert kind == PNG_TYPE
    assert b"<script" not in stored
    assert Image.open(io.BytesIO(stored)).size == (1, 1)


def test_a_png_header_followed_by_html_is_refused():
    with pytest.raises(ValidationError) as caught:
        inspect_document(upload("foto.png", PNG[:16] + b"<html><body>hi</body></html>"))
    assert "tidak dapat dibaca" in caught.value.messages[0]


@pytest.mark.parametrize("extra", ["xl/evil.exe", "xl/vbaProject.bin", "payload/run.js"])
def test_a_workbook_carrying_a_program_or_macros_is_refused(extra):
    buffer = io.BytesIO(xlsx_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(extra, EXE)
    with pytest.raises(ValidationError) as caught:
        inspect_document(upload("rab.xlsx", buffer.getvalue()))
    assert "program atau makro" in caught.value.messages[0]
