#!/usr/bin/env bash
# Starts or stops the private redis-server of a test run.
#   redis-fixture.sh start DIR   a redis-server on a free loopback port, its files in DIR;
#                                the port is written to DIR/port
#   redis-fixture.sh stop DIR    stops it and removes DIR
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?folder}
root=$(cd "$(dirname "$0")/.." && pwd)

stop() {
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start)
    stop
    mkdir -p "$dir"
    for _ in $(seq 1 20); do
      port=$(( 20000 + RANDOM % 40000 ))
      redis-server "$root/deploy/redis.conf" --port "$port" --bind 127.0.0.1 --dir "$dir" \
        --daemonize no --logfile "$dir/redis.log" >/dev/null 2>&1 &
      pid=$!
      echo "$pid" > "$dir/pid"
      for _ in $(seq 1 100); do
        if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
          echo "$port" > "$dir/port"
          echo "redis-server $pid on 127.0.0.1:$port"
          exit 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
      done
      kill -9 "$pid" 2>/dev/null || true
    done
    echo "could not start redis-server" >&2
    cat "$dir/redis.log" >&2 || true
    exit 1
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
