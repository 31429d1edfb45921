#!/usr/bin/env bash
# Makes a Debian 12 machine ready to build, run and test Créneau.
# Idempotent: installs only what is missing. Runs as root, or through sudo.
#   deploy/setup.sh          packages to build and run the server
#   deploy/setup.sh --test   also the packages the test suite needs
set -euo pipefail

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

build_pkgs=(
  build-essential cmake pkg-config ninja-build
  libboost1.81-dev
  libhiredis-dev
  nlohmann-json3-dev
  libsqlite3-dev
  libsodium-dev
  libhowardhinnant-date-dev tzdata
  catch2
)
test_pkgs=(
  redis-server redis-tools
  sqlite3 curl procps python3 python3-icalendar
  wrk
)

pkgs=("${build_pkgs[@]}")
if [ "$want_test" = 1 ]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "setup.sh: must run as root or with sudo available; missing: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
