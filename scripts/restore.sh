#!/usr/bin/env bash
# make restore BACKUP=backups/goodday-….dump: restores the dump into DATABASE_URL (replacing what
# is there) and the media archive beside it, if any.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to restore into}"
dump="${1:-${BACKUP:-}}"
[[ -f "$dump" ]] || { echo "usage: make restore BACKUP=backups/goodday-YYYYmmdd-HHMMSS.dump" >&2; exit 2; }

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dump"
media_archive="${dump%.dump}.media.tar.gz"
if [[ -f "$media_archive" ]]; then
  tar -xzf "$media_archive"
fi
echo "restored $dump"
