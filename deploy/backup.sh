#!/usr/bin/env bash
# Dump the database to a dated, compressed file; keep the last $KEEP_DAYS days of dumps.
# Usage: DATABASE_URL=postgres://... BACKUP_DIR=/var/backups/metro-slum deploy/backup.sh
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/metro-slum}
KEEP_DAYS=${KEEP_DAYS:-30}
PG_DUMP=${PG_DUMP:-pg_dump}
mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"
file="$BACKUP_DIR/metro-slum-$(date +%Y-%m-%d-%H%M%S).dump"
# Custom format: compressed, restorable table by table with pg_restore.
"$PG_DUMP" --format=custom --no-owner --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"
chmod 600 "$file"
find "$BACKUP_DIR" -name 'metro-slum-*.dump' -mtime +"$KEEP_DAYS" -delete
echo "$file"
