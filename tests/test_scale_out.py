"""Several app servers behind one load balancer: nothing a user does may depend on which server
answers. Two gunicorn servers on different ports, each with its own local folders, share one
database (the suite's: SQLite file or PostgreSQL) and one S3-compatible object store (moto's
server, spoken to over HTTP by django-storages): an import previewed on one is confirmed on the
other, a document uploaded through one is downloaded through the other. Reports and exports read
from the read replica when one is configured."""

import io
import logging
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import dj_database_url
import psycopg2
import pytest
import requests
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from moto.server import ThreadedMotoServer
from openpyxl import load_workbook

from metro_slum.replica import REPLICA
from tests import servers as server_processes
from tests.cast import pdf
from tests.conftest import fill_group
from tests.factories import GroupFactory
from tests.participants import spreadsheet_files as files

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUCKET = "dokumen-dinsos"
PASSWORD = "metro-demo"


@pytest.fixture(scope="module")
def object_store():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the store's request lines
    port = server_processes.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    store = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    store.create_bucket(Bucket=BUCKET)
    yield {"endpoint": endpoint, "client": store}
    server.stop()


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """A database of its own on the suite's database server, migrated once, with the demo data."""
    suite = os.environ.get("DATABASE_URL", "")
    if suite.startswith("postgres"):
        name = f"scale_out_{uuid.uuid4().hex[:8]}"
        server = dj_database_url.parse(suite)
        admin = psycopg2.connect(
            dbname="postgres",
            user=server["USER"],
            password=server["PASSWORD"],
            host=server["HOST"],
            port=server["PORT"] or 5432,
        )
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        yield suite.rsplit("/", 1)[0] + "/" + name
        admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('shared') / 'db.sqlite3'}"


@pytest.fixture(scope="module")
def servers(shared_database, object_store, tmp_path_factory):
    base_env = server_processes.app_env(
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY="shared-by-both-servers-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=shared_database,
        DJANGO_DOCUMENTS_S3_BUCKET=BUCKET,
        DJANGO_DOCUMENTS_S3_ENDPOINT=object_store["endpoint"],
        DJANGO_DOCUMENTS_S3_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        GUNICORN_WORKERS="1",
    )
    manage = [sys.executable, "manage.py"]
    if shared_database.startswith("sqlite:///"):
        target = Path(shared_database.removeprefix("sqlite:///"))
        server_processes.migrated_sqlite(target, tmp_path_factory, base_env)
    else:
        command = ["migrate", "--noinput", "-v", "0"]
        subprocess.run(manage + command, cwd=ROOT, env=base_env, check=True, capture_output=True)
    command = ["load_demo", "--allow-without-debug"]
    subprocess.run(manage + command, cwd=ROOT, env=base_env, check=True, capture_output=True)
    with server_processes.stopped_after([]) as processes:
        yield from _two_servers(base_env, tmp_path_factory, processes)


def _two_servers(base_env, tmp_path_factory, processes):
    started = []
    for name in ("a", "b"):
        folder = tmp_path_factory.mktemp(f"server-{name}")
        port = server_processes.free_port()
        env = {
            **base_env,
            "PORT": str(port),
            "DJANGO_MEDIA_ROOT": str(folder / "media"),
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "TMPDIR": str(folder),
        }
        log = open(folder / "gunicorn.log", "w+")  # noqa: SIM115 - closed after the server stops
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "metro_slum/gunicorn.conf.py", "metro_slum.wsgi"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(process)
        started.append({"url": f"http://127.0.0.1:{port}", "folder": folder, "process": process})
    for server in started:
        server_processes.wait_until_up(server["url"] + "/health/", server["process"])
    yield {"env": base_env, "a": started[0], "b": started[1]}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def logged_in(server, username, login_path="/masuk/") -> requests.Session:
    session = requests.Session()
    page = session.get(server["url"] + login_path)
    answer = session.post(
        server["url"] + login_path,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_of(page.text),
        },
        headers={"Referer": server["url"] + login_path},
    )
    assert answer.status_code == 200 and "sessionid" in session.cookies, answer.text[:500]
    return session


def on(session, server, path) -> str:
    """The same browser session (its cookies) sent to another server."""
    return server["url"] + path


def shell(servers, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=servers["env"], check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and path.suffix != ".log"]


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(servers):
    a, b = servers["a"], servers["b"]
    clerk = logged_in(a, "staf", "/admin/login/")
    page = clerk.get(a["url"] + "/admin/participants/participant/import/")
    upload = files.xlsx([files.person(1, **{"Nama Lengkap": "Warga Dua Server"})])
    preview = clerk.post(
        a["url"] + "/admin/participants/participant/import/",
        data={"format": "0", "csrfmiddlewaretoken": csrf_of(page.text)},
        files={"import_file": ("daftar.xlsx", upload.read())},
        headers={"Referer": a["url"] + "/admin/participants/participant/import/"},
    )
    assert "1 peserta baru" in preview.text and "Konfirmasi impor" in preview.text
    confirm = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview.text))
    assert confirm["import_file_name"] and "csrfmiddlewaretoken" in confirm

    done = clerk.post(
        on(clerk, b, "/admin/participants/participant/process_import/"),
        data=confirm,
        headers={"Referer": b["url"] + "/admin/participants/participant/import/"},
    )
    assert done.status_code == 200
    assert "Impor selesai: 1 baru" in done.text
    assert (
        shell(
            servers,
            "from participants.models import Participant;"
            " from metro_slum.models import WaitingFile;"
            "print(Participant.objects.filter(full_name='Warga Dua Server').count(),"
            # The upload and the rows its preview read (another test's list of problems, kept
            # for its download, may wait beside them).
            " WaitingFile.objects.exclude(kind=WaitingFile.Kind.ERRORS).count())",
        )
        == "1 0"
    )
    # Neither server kept the list on its own disk.
    assert files_under(a["folder"]) == [] and files_under(b["folder"]) == []

    again = clerk.post(
        on(clerk, a, "/admin/participants/participant/process_import/"),
        data=confirm,
        headers={"Referer": a["url"] + "/admin/participants/participant/import/"},
    )
    assert "Berkas yang sudah diperiksa tidak ada lagi" in again.text


def test_a_refused_import_lists_its_problems_for_download_on_the_other_server(servers):
    a, b = servers["a"], servers["b"]
    clerk = logged_in(a, "staf", "/admin/login/")
    page = clerk.get(a["url"] + "/admin/participants/participant/import/")
    upload = files.xlsx([files.person(1, NIK=1872011208850001)])
    refused = clerk.post(
        a["url"] + "/admin/participants/participant/import/",
        data={"format": "0", "csrfmiddlewaretoken": csrf_of(page.text)},
        files={"import_file": ("daftar.xlsx", upload.read())},
        headers={"Referer": a["url"] + "/admin/participants/participant/import/"},
    )
    assert "Tidak ada yang disimpan" in refused.text
    report = clerk.get(on(clerk, b, "/admin/participants/participant/import/kesalahan/"))
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet.cell(row=4, column=1).value == "Baris" and sheet.cell(row=5, column=1).value == 5


def test_a_document_uploaded_through_one_server_is_downloaded_through_the_other(
    servers, object_store
):
    a, b = servers["a"], servers["b"]
    group = shell(
        servers,
        "from grants.models import Grant;"
        "print(Grant.objects.get(status='draft', group__kelurahan__name='Karangrejo').group_id)",
    )
    worker = logged_in(a, "pekerja")
    grant_page = worker.get(f"{a['url']}/kelompok/{group}/bantuan/")
    content = pdf("proposal-dua-server.pdf").read()
    uploaded = worker.post(
        f"{a['url']}/kelompok/{group}/bantuan/dokumen/",
        data={
            "csrfmiddlewaretoken": csrf_of(grant_page.text),
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-kind": "proposal",
        },
        files={"documents-0-file": ("proposal-dua-server.pdf", content, "application/pdf")},
        headers={"Referer": f"{a['url']}/kelompok/{group}/bantuan/"},
    )
    assert "1 dokumen diunggah." in uploaded.text

    on_b = worker.get(on(worker, b, f"/kelompok/{group}/bantuan/"))
    links = re.findall(r'href="(/bantuan/dokumen/(\d+)/)"', on_b.text)
    newest = max(links, key=lambda link: int(link[1]))[0]
    download = worker.get(on(worker, b, newest))
    assert download.status_code == 200
    assert download.content == content
    assert "no-store" in download.headers["Cache-Control"]
    # The document is in the shared store, on neither server's disk.
    stored = object_store["client"].list_objects_v2(Bucket=BUCKET)["Contents"]
    assert any(item["Key"].startswith("dokumen/grants/") for item in stored)
    assert files_under(a["folder"]) == [] and files_under(b["folder"]) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", REPLICA])
def test_reports_and_exports_read_from_the_replica_when_one_is_configured(
    client, settings, supervisor, admin_staff
):
    group = GroupFactory()
    fill_group(group, 10)
    settings.REPLICA_READS = True
    client.force_login(supervisor)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        page = client.get(reverse("programme:report", args=["rekap"]))
    assert page.status_code == 200 and group.name in page.content.decode()
    assert len(replica.captured_queries) > 0

    client.force_login(admin_staff)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        export = client.post(reverse("participants:export"), {"file_format": "csv"})
        body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert any("FROM" in query["sql"] and "participant" in query["sql"] for query in replica)
    assert group.memberships.first().participant.full_name in body

    settings.REPLICA_READS = False
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        client.get(reverse("programme:report", args=["rekap"]))
    assert replica.captured_queries == []
