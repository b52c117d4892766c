#!/usr/bin/env bash
# The page benchmark at a province's size: a throwaway PostgreSQL 15, N synthetic participants
# (generate_scale_data), then bench_pages (p50, p95, queries per page, beside Django's plain
# ModelAdmin over the same table). Everything is stopped and removed at the end.
# Usage (as root, like .ci/run): benchmarks/run-pages.sh [participants] [repeat]
set -euo pipefail
cd "$(dirname "$0")/.."
PARTICIPANTS=${1:-1000000}
REPEAT=${2:-7}
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=${PG_PORT:-55441}
work=$(mktemp -d)
chown postgres "$work"
cleanup() {
  su postgres -c "$PG_BIN/pg_ctl -D $work/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
su postgres -c "$PG_BIN/initdb -D $work/data -A trust -U postgres" >/dev/null
su postgres -c "$PG_BIN/pg_ctl -D $work/data -l $work/log -w start \
  -o '-p $PG_PORT -k $work -c listen_addresses=127.0.0.1 -c shared_buffers=1GB'" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" DJANGO_LOG_LEVEL=WARNING
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py generate_scale_data --participants "$PARTICIPANTS"
.venv/bin/python manage.py bench_pages --repeat "$REPEAT"
