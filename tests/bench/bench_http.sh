#!/usr/bin/env bash
# HTTP benchmark with wrk, all figures from one run:
#  - GET /healthz and GET /api/availability of a busy resource (200, and 304 on a matching
#    If-None-Match) against nginx serving the same bytes (throughput ratios, p99), in ROUNDS
#    rounds (3 by default) that alternate each route with its baseline; the ratios printed are
#    the medians of the rounds';
#  - POST /api/reservations throughput on SQLite (with the default snapshots, and on a server
#    that writes none, for LONG seconds each) and on Redis.
#   tests/bench/bench_http.sh BUILD_DIR REDIS_PORT [SECONDS [LONG]]
set -euo pipefail
build=${1:?build folder}
redis_port=${2:?redis port}
secs=${3:-10}
long=${4:-75}
here=$(cd "$(dirname "$0")" && pwd)
creneau="$build/server/creneau"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port_of() { # waits for the "listening" line of a log and prints the port
  for _ in $(seq 1 200); do
    p=$(grep -o '"msg":"listening".*"port":[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.05
  done
  echo "server did not start: $(cat "$1")" >&2; exit 1
}

start_server() { # name, extra args...
  local name=$1; shift
  echo "motdepasse-solide" | "$creneau" user add --email bench@llv.fr --name Bench --role admin --password-stdin "$@" >/dev/null
  "$creneau" --listen 127.0.0.1:0 "$@" 2>"$work/$name.log" &
  pids+=($!)
  port=$(port_of "$work/$name.log")
  token=$(curl -s -H 'Content-Type: application/json' -d '{"email":"bench@llv.fr","password":"motdepasse-solide"}' \
          "http://127.0.0.1:$port/api/session" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
}

summary() { # wrk output → "req/s p99"
  local rps p99
  rps=$(grep 'Requests/sec' "$1" | awk '{print $2}')
  p99=$(grep -E '^ +99%' "$1" | awk '{print $2}')
  echo "$rps $p99"
}

metric() { # name → its value in the server's /metrics
  curl -s "http://127.0.0.1:$port/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}

echo "== SQLite"
start_server sqlite --data "$work/sqlite"
commands0=$(metric creneau_ledger_commands_total); appends0=$(metric creneau_journal_append_seconds_count)
TOKEN=$token wrk -t2 -c16 -d"${secs}s" --latency -s "$here/post_reservations.lua" "http://127.0.0.1:$port" > "$work/post-sqlite.txt"
read -r post_sqlite post_sqlite_p99 < <(summary "$work/post-sqlite.txt")
echo "POST /api/reservations (SQLite, 16 connections): $post_sqlite req/s, p99 $post_sqlite_p99; $(grep non-2xx "$work/post-sqlite.txt")"
# Group commit under the flood: how many of the 16 connections' bookings one commit carries.
awk -v c="$(( $(metric creneau_ledger_commands_total) - commands0 ))" \
    -v a="$(( $(metric creneau_journal_append_seconds_count) - appends0 ))" \
    'BEGIN { printf "commands per journal append during that flood: %.1f (%d commands, %d appends)\n", a ? c / a : 0, c, a }'
booked=$(curl -s "http://127.0.0.1:$port/healthz" | sed 's/.*"head":\([0-9]*\).*/\1/')
echo "journal head after the POST run: $booked facts; snapshots written meanwhile: $(grep -c '"snapshot written"' "$work/sqlite.log" || true)"

avail="/api/availability?resource=meeting-room&from=2027-01-04T00:00:00Z&to=2027-02-01T00:00:00Z"
busy=$(curl -s "http://127.0.0.1:$port$avail" | grep -o '"status"' | wc -l || true)
etag=$(curl -s -D - -o /dev/null "http://127.0.0.1:$port$avail" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')

# The baseline: nginx serving the same bytes, as a file and as a `return 200`, in the same run.
mkdir -p "$work/www"
curl -s "http://127.0.0.1:$port$avail" > "$work/www/availability.json"
healthz_body=$(curl -s "http://127.0.0.1:$port/healthz")
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chmod 755 "$work" "$work/www"
cat > "$work/nginx.conf" <<CONF
user $(id -un);
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx-access.log;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /availability { default_type application/json; alias $work/www/availability.json; }
    location = /healthz { default_type application/json; return 200 '$healthz_body'; }
  }
}
CONF
/usr/sbin/nginx -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/nginx-start.log" &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$nginx_port/healthz" >/dev/null && break; sleep 0.05; done

run() { # name, wrk arguments... → "req/s p99"
  local name=$1; shift
  wrk -t2 -c32 -d"${secs}s" --latency "$@" > "$work/$name.txt"
  summary "$work/$name.txt"
}
# The machine drifts over a minute (other work, the disk, the CPU's clock): each baseline and
# the route compared with it run one after the other in each of ROUNDS rounds, and the ratio
# kept is the median of the rounds' ratios, each taken within its round.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }
rounds=${ROUNDS:-3}
: > "$work/ratios"
for r in $(seq 1 "$rounds"); do
  read -r n_h n_h_p99 < <(run nginx-healthz "http://127.0.0.1:$nginx_port/healthz")
  read -r h_rps h_p99 < <(run healthz "http://127.0.0.1:$port/healthz")
  read -r n_a n_a_p99 < <(run nginx-avail "http://127.0.0.1:$nginx_port/availability")
  read -r a_rps a_p99 < <(run avail "http://127.0.0.1:$port$avail")
  read -r c_rps c_p99 < <(run avail-304 -H "If-None-Match: $etag" "http://127.0.0.1:$port$avail")
  echo "round $r of $rounds:"
  echo "  nginx return 200, the /healthz body (baseline): $n_h req/s, p99 $n_h_p99"
  echo "  GET /healthz: $h_rps req/s, p99 $h_p99"
  echo "  nginx, the availability bytes as a file ($(wc -c < "$work/www/availability.json") bytes, baseline): $n_a req/s, p99 $n_a_p99"
  echo "  GET /api/availability, 4 weeks of a resource with $busy busy periods in them: $a_rps req/s, p99 $a_p99"
  echo "  GET /api/availability with a matching If-None-Match (304): $c_rps req/s, p99 $c_p99"
  echo "$(ratio "$h_rps" "$n_h") $(ratio "$a_rps" "$n_a") $(ratio "$c_rps" "$h_rps") $(ratio "$a_rps" "$h_rps")" >> "$work/ratios"
done
column_of() { awk -v c="$1" '{ print $c }' "$work/ratios" | tr '\n' ' '; }
median_of() { awk -v c="$1" '{ print $c }' "$work/ratios" | median; }
echo "ratio /healthz / nginx return 200: $(median_of 1) (median; rounds: $(column_of 1))"
echo "ratio availability / nginx file: $(median_of 2) (median; rounds: $(column_of 2))"
echo "ratio availability 304 / healthz: $(median_of 3) (median; rounds: $(column_of 3))"
echo "ratio availability / healthz: $(median_of 4) (median; rounds: $(column_of 4))"

# The meeting room opened day and night without set-up times, for a flood that books every
# half hour (DENSE in post_reservations.lua) and so lasts over a minute without a collision.
open_day_and_night() {
  local day hours=""
  for day in mon tue wed thu fri sat sun; do hours="$hours${hours:+,}\"$day\":[[\"00:00\",\"24:00\"]]"; done
  curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"id\":\"meeting-room\",\"name\":\"Salle de réunion\",\"site\":\"llv-lens\",\"kind\":\"room\",\"layouts\":[{\"id\":\"meeting\",\"label\":\"Réunion\",\"capacity\":16}],\"hours\":{$hours},\"setup_minutes\":0,\"cleanup_minutes\":0}" \
    "http://127.0.0.1:$port/api/resources/meeting-room"
}

# What the default snapshots cost under a sustained flood: the same flood, long enough to
# span --snapshot-interval (30 s) more than once, on a server with the default snapshots and
# on one that writes none (docs/operations.md, "Sizing").
start_server sqlite-long --data "$work/sqlite-long"
open_day_and_night
DENSE=1 TOKEN=$token wrk -t2 -c16 -d"${long}s" --latency -s "$here/post_reservations.lua" "http://127.0.0.1:$port" > "$work/post-sqlite-long.txt"
read -r post_long post_long_p99 < <(summary "$work/post-sqlite-long.txt")
echo "POST /api/reservations (SQLite, 16 connections, ${long} s, default snapshots): $post_long req/s, p99 $post_long_p99; $(grep non-2xx "$work/post-sqlite-long.txt"); snapshots written: $(grep -c '"snapshot written"' "$work/sqlite-long.log" || true)"
start_server sqlite-no-snapshots --data "$work/sqlite-no-snapshots" --snapshot-every 0
open_day_and_night
DENSE=1 TOKEN=$token wrk -t2 -c16 -d"${long}s" --latency -s "$here/post_reservations.lua" "http://127.0.0.1:$port" > "$work/post-sqlite-ns.txt"
read -r post_ns post_ns_p99 < <(summary "$work/post-sqlite-ns.txt")
echo "POST /api/reservations (SQLite, 16 connections, ${long} s, no snapshots): $post_ns req/s, p99 $post_ns_p99; $(grep non-2xx "$work/post-sqlite-ns.txt")"
awk -v a="$post_long" -v b="$post_ns" 'BEGIN { printf "ratio POST with the default snapshots / without: %.2f\n", a / b }'

echo "== Redis"
start_server redis --redis "redis://127.0.0.1:$redis_port?prefix=bench-http-$$"
TOKEN=$token wrk -t2 -c16 -d"${secs}s" --latency -s "$here/post_reservations.lua" "http://127.0.0.1:$port" > "$work/post-redis.txt"
read -r post_redis post_redis_p99 < <(summary "$work/post-redis.txt")
echo "POST /api/reservations (Redis, 16 connections): $post_redis req/s, p99 $post_redis_p99; $(grep non-2xx "$work/post-redis.txt")"
awk -v r="$post_redis" -v s="$post_sqlite" 'BEGIN { printf "ratio POST Redis / SQLite: %.2f\n", r / s }'
