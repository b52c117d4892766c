"""Synthetic data at a province's scale, written by PostgreSQL itself (INSERT … SELECT over
generate_series): participants with valid unique NIKs and family-card numbers, groups of ten with
their officers, assessments, plans and grants in every status, disbursements, spending lines and
monitoring visits. A million participants take a few minutes on two cores.

    python manage.py generate_scale_data --participants 1000000
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from metro_slum import figures
from participants.models import Kelurahan, Membership, Program

FIRST = (
    "Siti",
    "Sri",
    "Agus",
    "Budi",
    "Dewi",
    "Eko",
    "Fitri",
    "Hendra",
    "Indah",
    "Joko",
    "Kartini",
    "Lestari",
    "Made",
    "Nur",
    "Puji",
    "Rahmat",
    "Slamet",
    "Tri",
    "Wahyu",
    "Yuli",
)
LAST = (
    "Aminah",
    "Santoso",
    "Wahyuni",
    "Riyadi",
    "Lestari",
    "Susanto",
    "Handayani",
    "Purnomo",
    "Rahayu",
    "Hidayat",
    "Kurniawan",
    "Sulastri",
    "Widodo",
    "Rahmawati",
    "Setiawan",
)
# fmt: skip


def _array(values) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with N synthetic participants in groups of ten, every stage represented."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=1_000_000)
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument(
            "--rosters-only",
            action="store_true",
            help="Groups, members and rosters only: a programme that has just formed its groups "
            "(no assessments, plans or grants yet).",
        )

    def handle(self, *args, participants, year, rosters_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_scale_data writes with PostgreSQL's generate_series: "
                               "set DATABASE_URL=postgres://...")  # fmt: skip
        if participants < 10 or participants % 10:
            raise CommandError("--participants must be a multiple of ten (groups of ten).")
        started = time.monotonic()
        user, _created = get_user_model().objects.get_or_create(
            username="skala", defaults={"first_name": "Data skala"}
        )
        kelurahan = list(Kelurahan.objects.order_by("code").values_list("id", "code"))
        with transaction.atomic():
            program = Program.objects.create(
                name=f"Program skala {participants:,} peserta".replace(",", "."),
                year=year,
                start_date=f"{year}-01-01",
                end_date=f"{year}-12-31",
                total_budget=participants * 5_000_000,
                grant_ceiling_per_group=25_000_000,
                is_active=True,
            )
            steps = self._sql(program.pk, participants, kelurahan, user.pk)
            if rosters_only:
                steps = steps[:4]  # participants, household ranks, groups, memberships
            with connection.cursor() as cursor:
                for label, sql in steps:
                    began = time.monotonic()
                    cursor.execute(sql)
                    self.stdout.write(f"  {label}: {cursor.rowcount:,} rows, "
                                      f"{time.monotonic() - began:.1f} s")  # fmt: skip
            # The groups' roster summaries, by the roster service's own rule.
            began = time.monotonic()
            figures.changed(groups=program.groups.values_list("pk", flat=True))
            self.stdout.write(f"  roster summaries: {time.monotonic() - began:.1f} s")
            began = time.monotonic()
            figures.changed(
                households=Membership.objects.filter(
                    program=program, group__grants__first_tranche_on__isnull=False
                ).values_list("participant__kk_number", flat=True)
            )
            self.stdout.write(f"  households reached: {time.monotonic() - began:.1f} s")
            began = time.monotonic()
            figures.changed(
                places=[(program.pk, kelurahan_id) for kelurahan_id, _code in kelurahan]
            )
            self.stdout.write(f"  grant figures by kelurahan: {time.monotonic() - began:.1f} s")
        with connection.cursor() as cursor:
            # As autovacuum would soon: statistics for the planner, and the visibility map that
            # lets index-only scans skip the table (VACUUM only outside a transaction).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"{participants:,} participants in {participants // 10:,} groups "
            f"in {time.monotonic() - started:.0f} s"
        ))  # fmt: skip

    def _sql(self, program, n, kelurahan, user):
        ids = "ARRAY[" + ",".join(str(pk) for pk, _code in kelurahan) + "]"
        regions = _array(code[:6] for _pk, code in kelurahan)
        k = len(kelurahan)
        groups = n // 10
        # Participant i (1..n): kelurahan (i-1)/10 % k, so that a group's ten live in one kelurahan;
        # names drawn by a hash of i, as independent of the kelurahan as real names are.
        # NIK: region, birth date (day + 40 for women), serial; the (date, serial) pair is unique
        # per i, so every NIK is. The family card: the same region, a date and serial of its own.
        participants_sql = f"""
        INSERT INTO participants_participant
          (nik, kk_number, full_name, sex, birth_place, birth_date, address, rt, rw, phone,
           occupation, monthly_income, household_size, consent_given, consent_date,
           notes, created_at, updated_at, kelurahan_id, legal_basis)
        SELECT
          r.region || lpad((d.day + CASE WHEN i % 2 = 0 THEN 40 ELSE 0 END)::text, 2, '0')
            || to_char(d.born, 'MMYY') || lpad(d.serial::text, 4, '0'),
          r.region || to_char(d.born + 7000, 'DDMMYY') || lpad((d.serial + 5000)::text, 4, '0'),
          ({_array(FIRST)})[1 + abs(hashint4(i)) % {len(FIRST)}] || ' '
            || ({_array(LAST)})[1 + abs(hashint4(i + 7919)) % {len(LAST)}],
          CASE WHEN i % 2 = 0 THEN 'P' ELSE 'L' END,
          'Metro', d.born,
          'Jl. Skala No. ' || (1 + i % 90), lpad((1 + i % 30)::text, 3, '0'),
          lpad((1 + i % 9)::text, 3, '0'), '08' || lpad((i % 100000000)::text, 10, '0'),
          'Buruh harian', 300000 + (i % 20) * 50000, 2 + i % 6,
          true, DATE '2026-07-20', '', now(), now(),
          ({ids})[1 + ((i - 1) / 10) % {k}], 'public_task'
        FROM generate_series(1, {n}) AS i,
        LATERAL (SELECT ({regions})[1 + ((i - 1) / 10) % {k}] AS region) r,
        LATERAL (SELECT DATE '1960-01-01' + (i % 13440) AS born,
                        extract(day FROM DATE '1960-01-01' + (i % 13440))::int AS day,
                        1 + i / 13440 AS serial) d
        """
        # Each new household's DTSEN rank as of this month's first day: desil 1 to 3.
        ranks_sql = """
        INSERT INTO participants_householdrank
          (kk_number, in_dtsen, desil, as_of, dtsen_id, source, note, recorded_at)
        SELECT p.kk_number, true, 1 + p.id % 3, date_trunc('month', now())::date,
               '', 'dtsen_import', '', now()
        FROM participants_participant p
        WHERE NOT EXISTS (
          SELECT 1 FROM participants_householdrank r WHERE r.kk_number = p.kk_number
        )
        """
        return [
            ("participants", participants_sql),
            ("household ranks", ranks_sql),
            (
                "groups",
                f"""
             INSERT INTO participants_participantgroup
               (name, business_type, business_type_other, notes, created_at, updated_at,
                kelurahan_id, program_id)
             SELECT 'Kelompok Skala ' || lpad(g::text, 6, '0'),
                    (ARRAY['herbal_drinks','lpg','cakes','vegetables'])[1 + g % 4], '', '',
                    now(), now(),
                    ({ids})[1 + (g - 1) % {k}], {program}
             FROM generate_series(1, {groups}) AS g""",
            ),
            (
                "memberships",
                f"""
             WITH p AS (SELECT id, row_number() OVER (ORDER BY id) AS rn
                        FROM participants_participant ORDER BY id DESC LIMIT {n}),
                  g AS (SELECT id, row_number() OVER (ORDER BY id) AS rn
                        FROM participants_participantgroup WHERE program_id = {program})
             INSERT INTO participants_membership (role, joined_on, participant_id, group_id,
                                                  program_id)
             SELECT CASE (p.rn - 1) % 10 WHEN 0 THEN 'chair' WHEN 1 THEN 'secretary'
                                         WHEN 2 THEN 'treasurer' ELSE 'member' END,
                    DATE '2026-07-25', p.id, g.id, {program}
             FROM p JOIN g ON g.rn = (p.rn - 1) / 10 + 1""",
            ),
            # Stage by group number: 0 draft assessment, 1 submitted, 2-9 reviewed; plans from 2;
            # grants from 4 in every status.
            (
                "assessments",
                f"""
             INSERT INTO assessments_needsassessment
               (start_date, end_date, venue, facilitators, chosen_business, chosen_business_other,
                chosen_business_reason, status, review_note, created_at, updated_at, group_id)
             SELECT DATE '2026-08-07', DATE '2026-08-08', 'Balai Kelurahan', 'Pekerja Sosial',
                    g.business_type, '', 'Sesuai minat anggota',
                    CASE g.id % 10 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' ELSE 'reviewed' END,
                    '', now(), now(), g.id
             FROM participants_participantgroup g WHERE g.program_id = {program}""",
            ),
            (
                "action plans",
                f"""
             INSERT INTO assessments_actionplan (goal, status, review_note, created_at, updated_at,
                                                 group_id)
             SELECT 'Usaha bersama kelompok',
                    CASE g.id % 10 WHEN 2 THEN 'draft' WHEN 3 THEN 'submitted' ELSE 'approved' END,
                    '', now(), now(), g.id
             FROM participants_participantgroup g
             WHERE g.program_id = {program} AND g.id % 10 >= 2""",
            ),
            (
                "grants",
                f"""
             INSERT INTO grants_grant
               (amount_requested, amount_approved, purpose, bank_name, bank_account_number,
                bank_account_holder, status, status_changed_at, rejection_reason, created_at,
                updated_at, action_plan_id, group_id, program_id, created_by_id, submitted_at,
                decided_at)
             SELECT 20000000,
                    CASE WHEN g.id % 10 IN (6, 8, 9) THEN 20000000 END,
                    'Modal usaha', 'Bank Lampung', '0123-' || g.id, g.name,
                    CASE g.id % 10 WHEN 4 THEN 'draft' WHEN 5 THEN 'submitted'
                         WHEN 6 THEN 'approved' WHEN 7 THEN 'rejected' WHEN 8 THEN 'disbursed'
                         ELSE CASE WHEN g.id % 20 = 9 THEN 'accounted' ELSE 'closed' END END,
                    now(), CASE WHEN g.id % 10 = 7 THEN 'Harga di atas pasar' ELSE '' END,
                    now(), now(), a.id, g.id, {program}, {user},
                    -- Proposed late in August, decided on 1 September: dates in order.
                    CASE WHEN g.id % 10 >= 5 THEN TIMESTAMPTZ '2026-08-25 10:00+07' END,
                    CASE WHEN g.id % 10 >= 6 THEN TIMESTAMPTZ '2026-09-01 10:00+07' END
             FROM participants_participantgroup g
             JOIN assessments_actionplan a ON a.group_id = g.id
             WHERE g.program_id = {program} AND g.id % 10 >= 4""",
            ),
            (
                "disbursements",
                f"""
             INSERT INTO grants_disbursement (date, amount, method, reference_number, note,
                                              created_at, handed_over_by_id, received_by_id,
                                              grant_id)
             SELECT DATE '2026-09-15', 20000000, 'transfer', 'BAST/S/' || gr.id, '', now(), {user},
                    m.id, gr.id
             FROM grants_grant gr
             JOIN participants_membership m ON m.group_id = gr.group_id AND m.role = 'treasurer'
             WHERE gr.program_id = {program}
               AND gr.status IN ('disbursed', 'accounted', 'closed')""",
            ),
            (
                "spending lines",
                f"""
             INSERT INTO grants_spendingline (description, spent_on, actual_amount, created_at,
                                              grant_id, recorded_by_id)
             SELECT 'Belanja modal', DATE '2026-09-20', 20000000, now(), gr.id, {user}
             FROM grants_grant gr
             WHERE gr.program_id = {program} AND gr.status IN ('accounted', 'closed')""",
            ),
            (
                "monitoring visits",
                f"""
             INSERT INTO grants_monitoringvisit (visit_date, business_status, monthly_revenue,
                                                 monthly_profit, active_members, problems,
                                                 follow_up, created_at, grant_id, officer_id)
             SELECT DATE '2026-10-15', CASE WHEN gr.id % 7 = 0 THEN 'struggling' ELSE 'running' END,
                    2400000, 600000, 10, '', '', now(), gr.id, {user}
             FROM grants_grant gr
             WHERE gr.program_id = {program} AND gr.status IN ('accounted', 'closed')""",
            ),
            (
                "grant dates",
                f"""
             UPDATE grants_grant gr
             SET first_tranche_on = (SELECT min(date) FROM grants_disbursement
                                     WHERE grant_id = gr.id),
                 disbursed_amount = COALESCE((SELECT sum(amount) FROM grants_disbursement
                                              WHERE grant_id = gr.id), 0),
                 last_visit_on = (SELECT max(visit_date) FROM grants_monitoringvisit
                                  WHERE grant_id = gr.id),
                 last_visit_status = COALESCE((SELECT business_status
                                               FROM grants_monitoringvisit
                                               WHERE grant_id = gr.id
                                               ORDER BY visit_date DESC, id DESC LIMIT 1), '')
             WHERE gr.program_id = {program}
               AND gr.status IN ('disbursed', 'accounted', 'closed')""",
            ),
        ]
