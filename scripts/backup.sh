#!/usr/bin/env bash
# make backup: the PostgreSQL database (pg_dump custom format) and both media folders, into
# backups/goodday-YYYYmmdd-HHMMSS.{dump,media.tar.gz}. Prints the dump's path.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup needs PostgreSQL (DATABASE_URL=$DATABASE_URL)" >&2; exit 2;; esac

dir="${BACKUP_DIR:-backups}"
mkdir -p "$dir"
stamp=$(date -u +%Y%m%d-%H%M%S)
dump="$dir/goodday-$stamp.dump"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump"

media="${MEDIA_ROOT:-media}"
private="${PRIVATE_MEDIA_ROOT:-private_media}"
tar_args=()
for d in "$media" "$private"; do [[ -d "$d" ]] && tar_args+=("$d"); done
if [[ ${#tar_args[@]} -gt 0 ]]; then
  tar -czf "$dir/goodday-$stamp.media.tar.gz" "${tar_args[@]}"
fi
echo "$dump"
