"""Every kind of page, as each role, at the size the database holds now: p50, p95 and SQL queries.

Pages are requested in-process with Django's test client, several times each; beside the project's
admin participant list, Django's plain ModelAdmin over the same table is measured in the same run.

    python manage.py bench_pages --repeat 7
"""

import gc
import statistics
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import Grant
from metro_slum import roles
from metro_slum.models import ExportRecord
from participants.models import Kelurahan, Participant, ParticipantGroup, Program

ROLE_USERS = {
    "supervisor": (roles.SUPERVISOR, True),
    "staf": (roles.ADMIN_STAFF, True),
    "pekerja": (roles.SOCIAL_WORKER, False),
}


def _users():
    from django.contrib.auth.models import Group

    users = {}
    for name, (role, is_staff) in ROLE_USERS.items():
        user, _created = get_user_model().objects.get_or_create(
            username=f"bench-{name}", defaults={"is_staff": is_staff}
        )
        user.groups.set([Group.objects.get(name=role)])
        users[name] = user
    worker = users["pekerja"]
    if not worker.kelurahan_assignments.exists():
        for code in ("1872011004", "1872021003"):
            worker.kelurahan_assignments.create(kelurahan=Kelurahan.objects.get(code=code))
    return users


def _pages():
    """(label, user, url) of every page measured; records picked from the data present."""
    person = Participant.objects.order_by("pk").last()
    group = ParticipantGroup.objects.order_by("pk").last()
    nik = person.nik if person else "1872010101010001"
    name = person.full_name.split()[-1] if person else "Aminah"
    kelurahan = Kelurahan.objects.get(code="1872011004")
    admin_people = reverse("admin:participants_participant_changelist")
    # A deep page: the 500th of a million (50 a page in admin, 25 in the portal), or the last.
    total = Participant.objects.count()
    deep = max(1, min(500, total // 100))  # the reference shows 100 a page, the project 50
    deep_portal = max(1, min(400, total // 25))
    reference = "/reference-admin/participants/participant/"
    # The project's participant list and the plain reference, asked the same five things.
    variants = (
        ("page 1", ""),
        ("kelurahan filter", f"?kelurahan__id__exact={kelurahan.pk}"),
        ("NIK search", f"?q={nik}"),
        ("name search", f"?q={name}"),
        ("sorted by name, descending", "?o=-1"),
        (f"page {deep}", f"?p={deep}"),
    )
    pages = [
        (f"{label}, {what}", "staf", f"{base}{query}")
        for label, base in (
            ("admin participants", admin_people),
            ("reference admin participants", reference),
        )
        for what, query in variants
    ]
    pages += [
        ("admin groups, page 1", "supervisor",
         reverse("admin:participants_participantgroup_changelist")),
        ("admin memberships, page 1", "supervisor",
         reverse("admin:participants_membership_changelist")),
        ("admin grants, page 1", "supervisor", reverse("admin:grants_grant_changelist")),
        ("admin grants, dates out of order", "supervisor",
         reverse("admin:grants_grant_changelist") + "?tanggal=tidak_urut"),
        ("admin index (work queue)", "supervisor", reverse("admin:index")),
        ("portal home, supervisor", "supervisor", reverse("home")),
        ("portal home, social worker of 2 kelurahan", "pekerja", reverse("home")),
        ("portal participant list, page 1", "pekerja", reverse("participants:participant_list")),
        (f"portal participant list, page {deep_portal}", "pekerja",
         reverse("participants:participant_list") + f"?halaman={deep_portal}"),
        ("programme dashboard", "supervisor", reverse("programme:dashboard")),
        ("programme dashboard, page 1000", "supervisor",
         reverse("programme:dashboard") + "?halaman=1000"),
        ("kelurahan page", "supervisor", reverse("programme:kelurahan", args=[kelurahan.code])),
        ("work queue, supervisor", "supervisor", reverse("programme:work")),
        ("work queue, social worker", "pekerja", reverse("programme:work")),
        ("reports page", "supervisor", reverse("programme:reports")),
        ("report: recap", "supervisor", reverse("programme:report", args=["rekap"])),
        ("report: recap, one kelurahan", "supervisor",
         reverse("programme:report", args=["rekap"]) + f"?kelurahan={kelurahan.code}"),
        ("report: recap, one kelurahan, last part", "supervisor",
         reverse("programme:report", args=["rekap"]) + f"?kelurahan={kelurahan.code}&bagian=999"),
        ("report: recipients, one kelurahan", "supervisor",
         reverse("programme:report", args=["penerima"]) + f"?kelurahan={kelurahan.code}"),
        ("report: monitoring, one kelurahan", "supervisor",
         reverse("programme:report", args=["pemantauan"]) + f"?kelurahan={kelurahan.code}"),
        ("report: outcomes, one kelurahan", "supervisor",
         reverse("programme:report", args=["hasil"]) + f"?kelurahan={kelurahan.code}"),
        ("admin needs assessments, page 1", "supervisor",
         reverse("admin:assessments_needsassessment_changelist")),
        ("admin follow-ups, page 1", "supervisor",
         reverse("admin:families_followup_changelist")),
        ("admin aid received, page 1", "staf", reverse("admin:families_aid_changelist")),
    ]  # fmt: skip
    if group is not None:
        pages.append(("group page", "supervisor", reverse("group", args=[group.pk])))
        pages.append(
            ("group outcomes page", "supervisor", reverse("families:outcomes", args=[group.pk]))
        )
    grant = Grant.objects.order_by("pk").last()
    if grant is not None:
        pages.append(
            (
                "admin grant page",
                "supervisor",
                reverse("admin:grants_grant_change", args=[grant.pk]),
            )
        )
    if person is not None:
        pages.append(
            (
                "participant page",
                "staf",
                reverse("person", args=[person.pk]),
            )
        )
    return pages


class Command(BaseCommand):
    help = "Measure every kind of page (p50, p95, SQL queries) at the size of the database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--only", default="", help="measure only pages whose label has this")

    @override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["testserver"])
    def handle(self, *args, repeat, only, **options):
        users = _users()
        clients = {}
        for name, user in users.items():
            clients[name] = Client()
            clients[name].force_login(user)
        count = Participant.objects.count()
        gc.freeze()  # as every server process does once loaded (metro_slum/wsgi.py)
        self.stdout.write(
            f"{count:,} participants; per page one first request (the database's cache cold "
            f"for it), then {repeat} timed for p50 and p95\n"
        )
        self.stdout.write(
            f"{'page':<52} {'p50 ms':>8} {'p95 ms':>8} {'first ms':>8} {'queries':>8}  status"
        )
        for label, user, url in _pages():
            if only and only not in label:
                continue
            first, *times = (_timed(clients[user], url) for _ in range(repeat + 1))
            queries, status = times[-1][1:]
            times = sorted(ms for ms, _queries, _status in times)
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            self.stdout.write(
                f"{label:<52} {statistics.median(times):>8.0f} {p95:>8.0f} {first[0]:>8.0f} "
                f"{queries:>8}  {status}"
            )
        if not only or "export" in only:
            self._exports(clients["staf"])

    def _exports(self, client):
        """The participant export of one kelurahan and of the whole programme: time, rows and the
        process's peak memory (resident set, reset before each export)."""
        kelurahan = Kelurahan.objects.get(code="1872011004")
        program = Program.objects.order_by("-is_active", "-year").first()
        self.stdout.write(
            f"\n{'export':<44} {'seconds':>8} {'rows':>10} {'file MB':>8} {'RSS MB':>7} "
            f"{'peak RSS':>8} {'py heap':>8}"
        )
        for label, data in (
            ("participants of one kelurahan, XLSX", {"kelurahan": kelurahan.pk}),
            ("participants of the whole programme, XLSX", {"program": program.pk}),
            ("participants of the whole programme, CSV", {"program": program.pk, "csv": 1}),
        ):
            form = {key: value for key, value in data.items() if key != "csv"}
            form["file_format"] = "csv" if "csv" in data else "xlsx"
            gc.collect()
            before = _resident_mb(reset_peak=True)
            began = time.perf_counter()
            size = _download(client, form)
            seconds = time.perf_counter() - began
            peak = _resident_mb(peak=True)
            rows = ExportRecord.objects.order_by("-pk").values_list("row_count", flat=True)[0]
            heap = "–"
            if "kelurahan" in data:
                # Once more under tracemalloc (many times slower, so for the kelurahan only): the
                # most Python held at any one moment.
                tracemalloc.start()
                _download(client, form)
                heap = f"{tracemalloc.get_traced_memory()[1] / 2**20:.1f}"
                tracemalloc.stop()
            self.stdout.write(
                f"{label:<44} {seconds:>8.1f} {rows:>10,} {size / 2**20:>8.1f} {before:>7.0f} "
                f"{peak:>8.0f} {heap:>8}"
            )
        self.stdout.write(
            "(RSS: the process's resident memory before the export; peak RSS: its highest during "
            "it; py heap: the peak of Python's allocations during it, by tracemalloc)"
        )


def _timed(client, url) -> tuple[float, int, int]:
    """One request: milliseconds to the last byte, SQL queries, status."""
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        ms = (time.perf_counter() - began) * 1000
    return ms, len(captured), response.status_code


def _download(client, form) -> int:
    response = client.post(reverse("participants:export"), form)
    return sum(len(chunk) for chunk in response.streaming_content)


def _resident_mb(*, reset_peak: bool = False, peak: bool = False) -> float:
    """The process's resident memory (VmRSS) or its peak since the last reset (VmHWM), in MB."""
    if reset_peak:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current resident size
    field_name = "VmHWM" if peak else "VmRSS"
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    return 0.0
