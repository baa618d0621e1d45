#!/usr/bin/env bash
# make restore BACKUP=backups/goodday-….dump: restores the dump into DATABASE_URL (replacing what
# is there) and the media archive beside it, if any, into MEDIA_ROOT and PRIVATE_MEDIA_ROOT.
# Then compare `manage.py backup_totals` with the .totals.json beside the dump (README, restore drill).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to restore into}"
dump="${1:-${BACKUP:-}}"
[[ -f "$dump" ]] || { echo "usage: make restore BACKUP=backups/goodday-YYYYmmdd-HHMMSS.dump" >&2; exit 2; }

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dump"
media_archive="${dump%.dump}.media.tar.gz"
if [[ -f "$media_archive" ]]; then
  if tar -tzf "$media_archive" | grep -qE '^(media|private_media)(/|$)'; then
    staging=$(mktemp -d)
    trap 'rm -rf "$staging"' EXIT
    tar -xzf "$media_archive" -C "$staging"
    for pair in "media:${MEDIA_ROOT:-media}" "private_media:${PRIVATE_MEDIA_ROOT:-private_media}"; do
      name="${pair%%:*}" target="${pair#*:}"
      if [[ -d "$staging/$name" ]]; then
        mkdir -p "$target"
        cp -a "$staging/$name/." "$target/"
      fi
    done
  else
    tar -xzf "$media_archive"   # archives from before the media/ and private_media/ layout
  fi
fi
echo "restored $dump"
totals="${dump%.dump}.totals.json"
[[ -f "$totals" ]] && echo "compare: manage.py backup_totals --compare $totals"
exit 0
