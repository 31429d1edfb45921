#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on its seed corpus.
#   run-fuzzer.sh BINARY SECONDS WORK_DIR SEED_DIR
# New inputs go to WORK_DIR (the seeds stay as committed); a crash, a leak or a sanitizer
# report fails the run and leaves the input beside WORK_DIR (crash-*, leak-*).
set -euo pipefail
binary=${1:?binary}
seconds=${2:?seconds}
work=${3:?work folder}
seeds=${4:?seed folder}
mkdir -p "$work"
cd "$(dirname "$work")"
exec "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -print_final_stats=1 "$work" "$seeds"
