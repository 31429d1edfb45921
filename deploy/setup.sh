#!/usr/bin/env bash
# Makes a Debian 12 machine ready to build, run and test Créneau.
# Idempotent: installs only what is missing. Runs as root, or through sudo.
#   deploy/setup.sh          packages to build and run the server, and the browser app's
#                            npm packages (web/node_modules)
#   deploy/setup.sh --test   also what the test suite needs (Redis, nginx, Chromium,
#                            playwright-core, systemd-analyze)
#   deploy/setup.sh --runtime  only the libraries the built program needs to run (the
#                            container's runtime stage, deploy/Dockerfile); no npm
set -euo pipefail

want_test=0
want_runtime=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --runtime) want_runtime=1 ;;
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
  libglpk-dev liblemon-dev
  libcurl4-openssl-dev
  zlib1g-dev libbrotli-dev
  libhowardhinnant-date-dev tzdata
  libjemalloc-dev
  catch2
)
# What the program links to at run time (checked against the binary by the test suite,
# tests/deploy/check-install.sh), and the time zone database it reads.
runtime_pkgs=(
  libstdc++6 libsqlite3-0 libhiredis0.14 libsodium23 zlib1g libbrotli1 libdate-tz3 tzdata libjemalloc2
  libglpk40 libamd2 libcolamd2 libsuitesparseconfig5 libgmp10 libltdl7
  libcurl4 libnghttp2-14 libidn2-0 librtmp1 libssh2-1 libpsl5 libssl3 libgssapi-krb5-2
  libldap-2.5-0 libzstd1 libunistring2 libgnutls30 libhogweed6 libnettle8 libkrb5-3 libk5crypto3
  libcom-err2 libkrb5support0 libsasl2-2 libp11-kit0 libtasn1-6 libkeyutils1 libffi8
)
test_pkgs=(
  nginx-light systemd
  clang libfuzzer-14-dev clang-format
  redis-server redis-tools
  sqlite3 curl procps iproute2 python3 python3-icalendar python3-recurring-ical-events python3-aiosmtpd
  wrk
  chromium fonts-dejavu-core
)
# Node.js and npm install the browser app's packages; a machine that has them already
# (from elsewhere than Debian) keeps its own.
if ! command -v node >/dev/null 2>&1; then build_pkgs+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then build_pkgs+=(npm); fi

if [ "$want_runtime" = 1 ]; then
  pkgs=("${runtime_pkgs[@]}")
else
  pkgs=("${build_pkgs[@]}")
fi
if [ "$want_test" = 1 ]; then pkgs+=("${test_pkgs[@]}"); fi
if [ "${SETUP_LIST_RUNTIME:-}" = 1 ]; then
  printf '%s\n' "${runtime_pkgs[@]}"
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

root=$(cd "$(dirname "$0")/.." && pwd)
install_web() {
  [ "$want_runtime" = 1 ] && return 0
  # The browser app's packages, exactly as package-lock.json pins them.
  local want=("--omit=dev")
  [ "$want_test" = 1 ] && want=()
  if [ ! -d "$root/web/node_modules/@event-calendar" ] || [ ! -d "$root/web/node_modules/chart.js" ] ||
     [ ! -d "$root/web/node_modules/qrcode-generator" ] ||
     { [ "$want_test" = 1 ] && { [ ! -d "$root/web/node_modules/playwright-core" ] ||
                                 [ ! -d "$root/web/node_modules/@redocly/cli" ]; }; } ||
     [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
    (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error "${want[@]}")
  fi
}

if [ "${#missing[@]}" -eq 0 ]; then
  install_web
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
# Packages such as nginx start their service when installed; the tests start their own, on
# free ports, so nothing is started here (Debian's policy-rc.d convention), unless the
# machine has a policy of its own already.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  own_policy=1
fi
trap 'if [ "$own_policy" = 1 ]; then "${sudo_cmd[@]}" rm -f "$policy"; fi' EXIT
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_web
