import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from grants.demo import PDF, PNG
from grants.validators import JPEG, MAX_DOCUMENT_SIZE, XLSX, inspect_document
from grants.validators import PDF as PDF_TYPE
from grants.validators import PNG as PNG_TYPE

JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
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
    assert inspect_document(upload(name, content or xlsx_bytes())) == kind


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
