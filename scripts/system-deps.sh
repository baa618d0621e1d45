#!/usr/bin/env bash
# Installs the system packages Goodday needs, on Debian/Ubuntu, when they are missing:
# WeasyPrint's Pango/HarfBuzz, a Traditional Chinese font, gettext, and (with --test)
# Debian's Chromium for the browser tests, zbar-tools to decode QR codes, nginx to test the proxy
# configuration, plus wrk for benchmarks.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium wrk postgresql-client docker-compose poppler-utils zbar-tools nginx-light)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install these yourself (names as in Debian): ${packages[*]}" >&2
  echo "  e.g. on macOS: brew install pango gettext && brew install --cask font-noto-sans-cjk-tc" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing system packages: ${missing[*]}. Run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
