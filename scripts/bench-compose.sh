#!/usr/bin/env bash
# Public pages of the compose stack (nginx's micro-cache in front of 2 web replicas), measured where
# Docker is available (README, "A front cache"). Loopback only; each load is bounded (SECONDS_EACH).
#
#   scripts/bench-compose.sh            # builds and starts the stack if it is not up, seeds the demo
#   PORT=8000 SECONDS_EACH=10 CONNECTIONS=64 scripts/bench-compose.sh
#   scripts/bench-compose.sh --check    # only validates the compose files (docker compose config)
#
# For each page: requests per second and p99 through nginx, and how many of those requests reached
# the app (counted in gunicorn's access log): with the micro-cache, about one per max-age per page.
# Needs: docker compose, wrk, curl; an .env with the production keys (deploy/env.example).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
SECONDS_EACH=${SECONDS_EACH:-10}
CONNECTIONS=${CONNECTIONS:-64}
BASE="http://127.0.0.1:${PORT}"
if docker compose version >/dev/null 2>&1; then
    compose() { docker compose "$@"; }
elif command -v docker-compose >/dev/null; then
    compose() { docker-compose "$@"; }
else
    echo "bench-compose: docker compose is not installed" >&2; exit 2
fi
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "bench-compose: $tool is not installed" >&2; exit 2; }
done

compose config -q
[ "${1:-}" = "--check" ] && { echo "bench-compose: compose files valid"; exit 0; }
if ! curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
    compose up -d --build
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
        sleep 2
    done
    compose exec -T web python manage.py seed_demo >/dev/null
fi

# The pages a surge reads; a program and a disclosure month from the demo data.
program=$(curl -fsS "$BASE/programs/" | grep -o 'href="/programs/[0-9]*/"' | head -1 | cut -d'"' -f2 || true)
pages=("/" "/programs/" ${program:+"$program"})

printf '%-24s %12s %10s %16s %s\n' "page" "req/s" "p99" "reached the app" "cache"
for page in "${pages[@]}"; do
    curl -fsS -o /dev/null "$BASE$page"   # warm: the first request fills the micro-cache
    since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$BASE$page")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    reached=$(compose logs --no-log-prefix --since "$since" web 2>/dev/null | grep -c "\"GET $page HTTP" || true)
    status=$(curl -fsS -o /dev/null -D - "$BASE$page" | awk -F': ' 'tolower($1) == "x-cache-status" {print $2}' | tr -d '\r')
    printf '%-24s %12s %10s %16s %s\n' "$page" "$rps" "$p99" "$reached" "$status"
done
echo "(machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d))"
