#!/usr/bin/env bash
# make backup: the PostgreSQL database (pg_dump custom format), both media folders and the
# restore drill's figures, into backups/goodday-YYYYmmdd-HHMMSS.{dump,media.tar.gz,totals.json}.
# Prints the dump's path. With BACKUP_KEEP_DAYS=N, backups older than N days are then removed
# (only after this one succeeded). The nightly task (ops.tasks.nightly_backup) runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup needs PostgreSQL (DATABASE_URL=$DATABASE_URL)" >&2; exit 2;; esac

dir="${BACKUP_DIR:-backups}"
mkdir -p "$dir"
stamp=$(date -u +%Y%m%d-%H%M%S)
dump="$dir/goodday-$stamp.dump"
python="${PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python )}"

staging=$(mktemp -d)
trap 'rm -rf "$staging"; rm -f "$dir/goodday-$stamp".*.part' EXIT

# The figures to compare after a restore (taken just before the dump; see README, restore drill).
"$python" manage.py backup_totals --json > "$dir/goodday-$stamp.totals.json.part"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump.part"

# The media folders go into the archive as media/ and private_media/, wherever they are mounted.
media="${MEDIA_ROOT:-media}"
private="${PRIVATE_MEDIA_ROOT:-private_media}"
members=()
[[ -d "$media" ]] && ln -s "$(cd "$media" && pwd)" "$staging/media" && members+=(media)
[[ -d "$private" ]] && ln -s "$(cd "$private" && pwd)" "$staging/private_media" && members+=(private_media)
if [[ ${#members[@]} -gt 0 ]]; then
  tar -czhf "$dir/goodday-$stamp.media.tar.gz.part" -C "$staging" "${members[@]}"
  mv "$dir/goodday-$stamp.media.tar.gz.part" "$dir/goodday-$stamp.media.tar.gz"
fi
# Complete files only carry their final names (a failed night leaves no half backup to restore).
mv "$dump.part" "$dump"
mv "$dir/goodday-$stamp.totals.json.part" "$dir/goodday-$stamp.totals.json"

if [[ -n "${BACKUP_KEEP_DAYS:-}" && "${BACKUP_KEEP_DAYS}" -gt 0 ]]; then
  find "$dir" -maxdepth 1 -type f -name 'goodday-*' -mmin "+$((BACKUP_KEEP_DAYS * 1440))" -print -delete >&2
fi
echo "$dump"
