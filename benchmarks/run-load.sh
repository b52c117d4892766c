#!/usr/bin/env bash
# The load benchmark on this machine: a throwaway PostgreSQL 15, the demo data, gunicorn with the
# production settings (HTTP on loopback), then benchmarks/load.py. Everything is stopped at the end.
# Usage (as root, like .ci/run): benchmarks/run-load.sh [users] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-20}
SECONDS_=${2:-60}
APP_PORT=${APP_PORT:-8765}
work=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
source benchmarks/postgres.sh
start_postgres "${PG_PORT:-55440}"
export DATABASE_CONN_MAX_AGE=60
export DJANGO_DEBUG=false DJANGO_SECRET_KEY="load-$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false
export DJANGO_HSTS_SECONDS=0 DJANGO_STATIC_ROOT="$work/static" DJANGO_MEDIA_ROOT="$work/media"
export DJANGO_LOG_LEVEL=WARNING DJANGO_SERVER_TIMING=true PORT=$APP_PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-5}
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo --allow-without-debug > /dev/null
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn -c metro_slum/gunicorn.conf.py --access-logfile /dev/null metro_slum.wsgi \
  > "$work/gunicorn.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$APP_PORT/health/" >/dev/null && break; sleep 0.2; done
echo "gunicorn: $GUNICORN_WORKERS workers, PostgreSQL 15, $(nproc) cores"
.venv/bin/python benchmarks/load.py "http://127.0.0.1:$APP_PORT" --users "$USERS" --seconds "$SECONDS_" ${RAMP:+--ramp "$RAMP"}
