"""Measure the Excel export and import the project's way against django-import-export's defaults.

Run it on a database of its own (`make bench-excel` uses .bench/bench.sqlite3): it generates
100,000 participants in groups of ten, then times, in separate processes so that each peak memory
figure is its own:

- exporting all of them with their kelurahan, kecamatan, group and role: the project's streamed
  XLSX, a django-import-export ModelResource with select_related written by tablib, and
  xlsxwriter in its constant_memory mode fed the same rows (the fastest general-purpose writer:
  the near-limit reference);
- importing 10,000 new participants, dry run then confirm: the project's importer, and a
  django-import-export ModelResource importing row by row with model validation on.
"""

import datetime
import io
import multiprocessing
import os
import resource
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from import_export import fields, resources
from openpyxl import Workbook

from metro_slum import figures
from participants import exports
from participants.models import Kelurahan, Membership, Participant, ParticipantGroup, Program
from participants.spreadsheet import importer

PROGRAM_NAME = "Program Bench"


class MembershipExportResource(resources.ModelResource):
    """The default way: a ModelResource over memberships, related names through select_related."""

    nik = fields.Field(attribute="participant__nik", column_name="NIK")
    kk = fields.Field(attribute="participant__kk_number", column_name="No. KK")
    name = fields.Field(attribute="participant__full_name", column_name="Nama Lengkap")
    sex = fields.Field(attribute="participant__sex", column_name="L/P")
    birth_place = fields.Field(attribute="participant__birth_place", column_name="Tempat Lahir")
    birth_date = fields.Field(attribute="participant__birth_date", column_name="Tanggal Lahir")
    address = fields.Field(attribute="participant__address", column_name="Alamat")
    kelurahan = fields.Field(attribute="group__kelurahan__name", column_name="Kelurahan")
    kecamatan = fields.Field(attribute="group__kelurahan__kecamatan__name", column_name="Kecamatan")
    program = fields.Field(attribute="program__name", column_name="Program")
    group = fields.Field(attribute="group__name", column_name="Kelompok")
    role = fields.Field(attribute="role", column_name="Jabatan")

    class Meta:
        model = Membership
        fields = (
            "nik", "kk", "name", "sex", "birth_place", "birth_date", "address", "kelurahan",
            "kecamatan", "program", "group", "role",
        )  # fmt: skip

    def get_queryset(self):
        return Membership.objects.select_related(
            "participant", "group__kelurahan__kecamatan", "program"
        ).order_by("pk")


class ParticipantImportResource(resources.ModelResource):
    """The default way: row by row, matched on NIK, with the model's validation."""

    class Meta:
        model = Participant
        import_id_fields = ("nik",)
        fields = (
            "nik", "kk_number", "full_name", "sex", "birth_place", "birth_date", "address", "rt",
            "rw", "kelurahan", "household_size",
        )  # fmt: skip
        clean_model_instances = True


def _nik(region: str, index: int, offset: int) -> tuple[str, datetime.date]:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(index + offset) // 9000)
    return f"{region}{born:%d%m%y}{(index + offset) % 9000 + 1:04d}", born


def _generate(count: int, stdout) -> Program:
    program = Program.objects.filter(name=PROGRAM_NAME).first()
    if program and Membership.objects.filter(program=program).count() >= count:
        return program
    stdout.write(f"Membuat {count:,} peserta uji …")
    program = program or Program.objects.create(
        name=PROGRAM_NAME,
        year=2026,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        total_budget=Decimal(10**13),
        grant_ceiling_per_group=Decimal(20_000_000),
    )
    kelurahan = list(Kelurahan.objects.select_related("kecamatan"))
    with transaction.atomic():
        groups = ParticipantGroup.objects.bulk_create(
            ParticipantGroup(
                name=f"Kelompok {n:05d}",
                program=program,
                kelurahan=kelurahan[n % len(kelurahan)],
                business_type="herbal_drinks",
            )
            for n in range(count // 10)
        )
        people = []
        for index in range(count):
            group = groups[index // 10]
            nik, born = _nik(group.kelurahan.kecamatan.code, index, 0)
            people.append(
                Participant(
                    nik=nik,
                    kk_number=nik,
                    full_name=f"Peserta {index:06d}",
                    sex="L",
                    birth_place="Metro",
                    birth_date=born,
                    address="Jl. Melati 1",
                    rt="001",
                    rw="002",
                    kelurahan=group.kelurahan,
                    monthly_income=Decimal(750_000),
                )
            )
        Participant.objects.bulk_create(people, batch_size=5000)
        roles = ["chair", "secretary", "treasurer"] + ["member"] * 7
        Membership.objects.bulk_create(
            (
                Membership(
                    group=groups[index // 10],
                    participant=person,
                    program=program,
                    role=roles[index % 10],
                )
                for index, person in enumerate(people)
            ),
            batch_size=5000,
        )
        figures.changed(groups=[group.pk for group in groups])
    return program


def _import_file(count: int, offset: int, *, default_headers: bool) -> bytes:
    kelurahan = list(Kelurahan.objects.select_related("kecamatan"))
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Peserta")
    if default_headers:
        ws.append(list(ParticipantImportResource._meta.fields))
    else:
        ws.append(["Daftar peserta baru"])
        ws.append([])
        ws.append([])
        ws.append(["No", "NIK", "No. KK", "Nama Lengkap", "L/P", "Tempat Lahir", "Tanggal Lahir",
                   "Alamat", "RT", "RW", "Kelurahan"])  # fmt: skip
    for index in range(count):
        place = kelurahan[index % len(kelurahan)]
        nik, born = _nik(place.kecamatan.code, index, offset)
        if default_headers:
            ws.append([nik, nik, f"Baru {index}", "L", "Metro", born, "Jl. Mawar 2", "001", "002",
                       place.pk, 1, "unchecked"])  # fmt: skip
        else:
            ws.append([index + 1, nik, nik, f"Baru {index}", "L", "Metro",
                       born.strftime("%d/%m/%Y"), "Jl. Mawar 2", "001", "002",
                       place.name])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _measure(job, *args):
    """Run `job` in a forked process; return (seconds, peak MiB, what it reported)."""
    connection.close()
    parent, child = multiprocessing.Pipe()

    def run():
        started = time.perf_counter()
        outcome = job(*args)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child.send((seconds, peak, outcome))

    process = multiprocessing.get_context("fork").Process(target=run)
    process.start()
    result = parent.recv()
    process.join()
    return result


def _export_ours(program_pk):
    user = get_user_model().objects.get(username="bench")
    program = Program.objects.get(pk=program_pk)
    result = exports.participants_export(user=user, scope=exports.Scope(program=program))
    size = len(result.file.read())
    return f"{size / 2**20:.1f} MiB XLSX"


def _export_xlsxwriter(program_pk):
    import tempfile

    import xlsxwriter

    from metro_slum.spreadsheets import DATE, MONEY, TEXT

    user = get_user_model().objects.get(username="bench")
    scope = exports.Scope(program=Program.objects.get(pk=program_pk))
    columns = exports.PARTICIPANT_COLUMNS
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as output:
        workbook = xlsxwriter.Workbook(output.name, {"constant_memory": True})
        styles = {
            DATE: workbook.add_format({"num_format": "dd/mm/yyyy"}),
            MONEY: workbook.add_format({"num_format": '"Rp" #,##0'}),
            TEXT: workbook.add_format({"num_format": "@"}),
        }
        sheet = workbook.add_worksheet("Peserta")
        sheet.write_row(3, 0, [column.header for column in columns])
        for number, row in enumerate(exports._participant_tuples(scope, user), start=4):
            for index, (column, value) in enumerate(zip(columns, row, strict=True)):
                if value is None or value == "":
                    continue
                if column.kind == TEXT:
                    sheet.write_string(number, index, str(value), styles[TEXT])
                elif column.kind == DATE:
                    sheet.write_datetime(number, index, value, styles[DATE])
                elif column.kind == MONEY:
                    sheet.write_number(number, index, int(value), styles[MONEY])
                else:
                    sheet.write_number(number, index, value)
        workbook.close()
        size = os.path.getsize(output.name)
    return f"{size / 2**20:.1f} MiB XLSX"


def _export_default(program_pk):
    queryset = MembershipExportResource().get_queryset().filter(program_id=program_pk)
    dataset = MembershipExportResource().export(queryset)
    data = dataset.export("xlsx")
    return f"{len(data) / 2**20:.1f} MiB XLSX"


def _import_ours(content):
    user = get_user_model().objects.get(username="bench")
    upload = SimpleUploadedFile("baru.xlsx", content)
    rehearsal = importer.run_import(upload, user=user, dry_run=True)
    done = importer.run_import(upload, user=user, dry_run=False)
    assert rehearsal.ok and done.ok, (rehearsal.errors[:3], done.errors[:3])
    return f"{done.created:,} created"


def _import_default(content):
    import tablib

    dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
    resource_ = ParticipantImportResource()
    rehearsal = resource_.import_data(dataset, dry_run=True, raise_errors=True)
    done = resource_.import_data(dataset, dry_run=False, raise_errors=True)
    assert not rehearsal.has_errors() and not done.has_errors()
    return f"{done.totals['new']:,} created"


class Command(BaseCommand):
    help = "Benchmark Excel export and import against django-import-export's defaults."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=100_000)
        parser.add_argument("--import-rows", type=int, default=10_000)

    def handle(self, *args, participants, import_rows, **options):
        User = get_user_model()
        user, _created = User.objects.get_or_create(username="bench")
        user.is_superuser = True
        user.save()
        program = _generate(participants, self.stdout)
        count = Membership.objects.filter(program=program).count()

        self.stdout.write(f"\nEkspor {count:,} peserta (kelurahan, kecamatan, kelompok, jabatan):")
        ours = _measure(_export_ours, program.pk)
        theirs = _measure(_export_default, program.pk)
        reference = _measure(_export_xlsxwriter, program.pk)
        self._report(ours, theirs, reference)

        # Each importer gets its own new people, so both really create them.
        already = Participant.objects.count()
        ours_file = _import_file(import_rows, already + 1_000_000, default_headers=False)
        theirs_file = _import_file(import_rows, already + 2_000_000, default_headers=True)
        self.stdout.write(f"\nImpor {import_rows:,} peserta baru (uji coba lalu simpan):")
        ours = _measure(_import_ours, ours_file)
        theirs = _measure(_import_default, theirs_file)
        self._report(ours, theirs)

    def _report(self, ours, theirs, reference=None):
        width = 38
        rows = [("cara proyek", ours), ("django-import-export bawaan", theirs)]
        if reference:
            rows.append(("xlsxwriter constant_memory (acuan)", reference))
        for label, (seconds, peak, note) in rows:
            self.stdout.write(
                f"  {label:<{width}} {seconds:8.2f} s   puncak {peak:7.1f} MiB   {note}"
            )
        self.stdout.write(f"  {'rasio (bawaan / proyek)':<{width}} {theirs[0] / ours[0]:8.1f}×")
        if reference:
            self.stdout.write(
                f"  {'rasio (proyek / xlsxwriter)':<{width}} {ours[0] / reference[0]:8.1f}×"
            )
