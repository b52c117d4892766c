import os
import shutil

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def office():
    """LibreOffice's soffice, to open and save a file as a clerk's office suite would."""
    if SOFFICE is None:
        if os.environ.get("REQUIRE_OFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but missing")
        pytest.skip("needs LibreOffice: apt-get install libreoffice-calc-nogui (.ci/run does)")
    return SOFFICE
