import os
import shutil

import pytest

from tests.gateway import Gateway

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def libreoffice():
    """LibreOffice's soffice, to open and save a file as a clerk's office suite would."""
    if SOFFICE is None:
        if os.environ.get("REQUIRE_OFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but missing")
        pytest.skip("needs LibreOffice: apt-get install libreoffice-calc-nogui (.ci/run does)")
    return SOFFICE


@pytest.fixture
def gateway(settings):
    made = []

    def start(*answers):
        server = Gateway(answers)
        made.append(server)
        settings.MESSAGE_BACKEND = "metro_slum.messaging.HttpBackend"
        settings.MESSAGE_GATEWAY_URL = server.url
        settings.MESSAGE_GATEWAY_TOKEN = "rahasia"
        settings.MESSAGE_GATEWAY_TIMEOUT = 2
        return server

    yield start
    for server in made:
        server.close()
