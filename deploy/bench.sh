#!/usr/bin/env bash
# Builds Créneau optimised and runs the benchmarks of tests/bench/, each printing its
# figures beside a baseline measured in the same run. Pass --quick for a short run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/deploy/setup.sh" --test
deploy/build.sh release

redis_dir=$(mktemp -d)
trap '"$root/tests/redis-fixture.sh" stop "$redis_dir"' EXIT
"$root/tests/redis-fixture.sh" start "$redis_dir" >/dev/null
port=$(cat "$redis_dir/port")

echo "== domain (common/)"
build/release/tests/bench_domain
echo "== Job Dating"
build/release/tests/bench_jobdating
echo "== journal and ledger"
build/release/tests/bench_journal --redis-port "$port" "$@" 2>/dev/null
echo "== HTTP (wrk)"
tests/bench/bench_http.sh build/release "$port" 10
echo "== live channel (WebSocket)"
tests/bench/bench_live.sh build/release 200 50
echo "== live channel, 10,000 subscribers: the delay at rising booking rates"
tests/bench/bench_live.sh build/release 40 "1 2 4 8 16" 10000
