#!/usr/bin/env bash
# The page benchmark at a province's size: a throwaway PostgreSQL 15, N synthetic participants
# (generate_scale_data), then bench_pages (p50, p95, queries per page, beside Django's plain
# ModelAdmin over the same table), then the same for a programme with groups and rosters only.
# Everything is stopped and removed at the end.
# Usage (as root, like .ci/run): benchmarks/run-pages.sh [participants] [repeat]
set -euo pipefail
cd "$(dirname "$0")/.."
PARTICIPANTS=${1:-1000000}
REPEAT=${2:-7}
source benchmarks/postgres.sh
start_postgres "${PG_PORT:-55441}" -c shared_buffers=1GB
export DJANGO_LOG_LEVEL=WARNING
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py generate_scale_data --participants "$PARTICIPANTS"
# Every stored record against every date rule (metro_slum/chronology.py), as an auditor runs it.
TIMEFORMAT="check_dates over $PARTICIPANTS participants: %R s"
time .venv/bin/python manage.py check_dates | tail -n 1
.venv/bin/python manage.py bench_pages --repeat "$REPEAT"
# The second shape: one programme that has just formed its groups (members and rosters, no
# assessments, plans or grants yet), in a database of its own on the same server.
echo
echo "== the same pages, one programme of $PARTICIPANTS participants with groups and rosters only =="
su postgres -c "$PG_BIN/psql -h 127.0.0.1 -p ${PG_PORT:-55441} -q -c 'CREATE DATABASE rosters_only'"
export DATABASE_URL="${DATABASE_URL%/*}/rosters_only"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py generate_scale_data --participants "$PARTICIPANTS" --rosters-only
.venv/bin/python manage.py bench_pages --repeat "$REPEAT"
