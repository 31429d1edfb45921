#!/usr/bin/env bash
# The live-channel benchmark: 100, 1,000 and 10,000 WebSocket subscribers on one creneau (how
# delivery grows with the audience), a steady stream of bookings, against the same load on
# bare_broadcast in the same run. RATES may list several booking rates (a sweep: the delay at
# each rate, beside the baseline's at the same rate).
#   tests/bench/bench_live.sh BUILD_DIR [BOOKINGS] [RATES] [SUBSCRIBER COUNTS]
set -euo pipefail
build=${1:?build folder}
bookings=${2:-200}
rates=${3:-50}
counts=${4:-100 1000 10000}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

for n in $counts; do
for rate in $rates; do
  echo "== $n subscribers, $rate bookings/s"
  data="$work/data-$n-$rate"
  echo "motdepasse-solide" | "$build/server/creneau" user add --email bench@llv.fr --name Bench --role admin \
    --password-stdin --data "$data" >/dev/null
  "$build/server/creneau" --listen 127.0.0.1:0 --data "$data" --log-level warn --live-max-per-address 20000 \
    --max-connections-per-address 20000 --live-max-connections 20000 --max-connections 20000 2>"$work/creneau-$n-$rate.log" &
  pid=$!; pids+=($pid)
  for _ in $(seq 1 100); do grep -q listening "$work/creneau-$n-$rate.log" 2>/dev/null && break; sleep 0.05; done
  port=$(grep -o '"port":[0-9]*' "$work/creneau-$n-$rate.log" | head -1 | grep -o '[0-9]*$') || true
  if [ -z "${port:-}" ]; then
    # --log-level warn hides the listening line: find the port from the socket table.
    port=$(ss -ltnp | grep "pid=$pid," | grep -o '127.0.0.1:[0-9]*' | head -1 | cut -d: -f2)
  fi
  token=$(curl -s -H 'Content-Type: application/json' -d '{"email":"bench@llv.fr","password":"motdepasse-solide"}' \
          "http://127.0.0.1:$port/api/session" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
  echo "creneau:"
  "$build/tests/bench_live" "$port" "$n" "$bookings" "$rate" "$pid" creneau "$token"
  kill "$pid"; wait "$pid" 2>/dev/null || true

  "$build/tests/bare_broadcast" "$work/bare-port" &
  bpid=$!; pids+=($bpid)
  for _ in $(seq 1 100); do [ -s "$work/bare-port" ] && break; sleep 0.05; done
  echo "baseline (bare Beast broadcast, no ledger):"
  "$build/tests/bench_live" "$(cat "$work/bare-port")" "$n" "$bookings" "$rate" "$bpid" bare
  kill "$bpid"; wait "$bpid" 2>/dev/null || true
  rm -f "$work/bare-port"
done
done
