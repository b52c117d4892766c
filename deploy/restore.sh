#!/usr/bin/env bash
# Restore a dump made by backup.sh into an EMPTY database (create it first with createdb).
# Usage: TARGET_DATABASE_URL=postgres://.../metro_restore deploy/restore.sh /var/backups/metro-slum/X.dump
set -euo pipefail
dump=${1:?give the dump file}
: "${TARGET_DATABASE_URL:?set TARGET_DATABASE_URL to an empty database}"
PG_RESTORE=${PG_RESTORE:-pg_restore}
"$PG_RESTORE" --no-owner --exit-on-error --dbname="$TARGET_DATABASE_URL" "$dump"
echo "restored $dump"
