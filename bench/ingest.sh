#!/usr/bin/env bash
# Ingest benchmark: huiwen against Miniflux 2.2 on the same 200 generated
# Chinese news feeds (10,000 entries, 10 % reposted across feeds), in one run.
#
#   RUNS=1 bench/ingest.sh                        # both feed servers, one run each
#   RUNS=1 FEED_SERVERS=python bench/ingest.sh    # only the kit's own server
#
# For each feed server in $FEED_SERVERS (default "python rust"):
# Miniflux is measured by ../shared/peers/miniflux's own harness (its own
# PostgreSQL on :5433, 16 workers), then huiwen imports the kit's feeds.opml
# and runs `huiwen fetch --once` on SQLite and on PostgreSQL: all new, then
# all 304, then the same bodies under a new Last-Modified (the kit's three
# phases). "python" is
# the kit's server (Python's http.server); "rust" is bench/feed-server,
# which answers the same way (Last-Modified from mtime, 304 on
# If-Modified-Since, no ETag, one request per connection) and writes the same
# request log, but does not need 1.2-1.5 s of a core to hand out 28.7 MB:
# with it, both systems are measured rather than the server.
# Per-host politeness is relaxed for huiwen in this run only (all 200 feeds
# live on one host, 127.0.0.1, where huiwen would otherwise space requests
# a second apart): per-host interval 0, concurrency 16.
# Work files go to $PEER_WORK (default /tmp/huiwen-peer-miniflux).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
kit=$(cd ../shared/peers/miniflux && pwd)
export PEER_WORK=${PEER_WORK:-/tmp/huiwen-peer-miniflux}
py=$PEER_WORK/.venv/bin/python
pg=${HUIWEN_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
schema="huiwen_bench_ingest_$$"
work=$(mktemp -d /tmp/huiwen-bench-ingest.XXXXXX)
target=${CARGO_TARGET_DIR:-$root/target}

cargo build --release -q -p huiwen
bin=$target/release/huiwen
cargo build --release -q --manifest-path bench/feed-server/Cargo.toml --target-dir "$target/feed-server"
feed_server=$target/feed-server/release/huiwen-bench-feed-server
[ -x "$py" ] && [ -f "$PEER_WORK/feeds/manifest.json" ] || bash "$kit/setup.sh"
mkdir -p "$PEER_WORK/logs"

# Start / stop one feed server on :8081. The kit's harness reads the server's
# PID from logs/serve.pid (for its CPU meter) and its request log, so ours
# writes both too.
start_server() {
  if [ "$1" = python ]; then
    "$py" "$kit/measure_miniflux.py" serve-start >/dev/null
  else
    "$feed_server" --dir "$PEER_WORK/feeds" --port "${FEED_PORT:-8081}" --log "$PEER_WORK/logs/requests.jsonl" &
    echo $! >"$PEER_WORK/logs/serve.pid"
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:${FEED_PORT:-8081}/feeds.opml" && break; sleep 0.1; done
  fi
}
stop_server() {
  if [ "$1" = python ]; then
    "$py" "$kit/measure_miniflux.py" serve-stop >/dev/null 2>&1 || true
  elif [ -f "$PEER_WORK/logs/serve.pid" ]; then
    kill "$(cat "$PEER_WORK/logs/serve.pid")" 2>/dev/null || true
    rm -f "$PEER_WORK/logs/serve.pid"
  fi
}
trap 'for s in python rust; do stop_server $s; done; "$py" "$kit/measure_miniflux.py" pg-stop >/dev/null 2>&1 || true; rm -rf "$work"; psql "$pg" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT

export HUIWEN_FETCH_ALLOW_PRIVATE_NETWORKS=1 HUIWEN_FETCH_PER_HOST_MIN_INTERVAL_MS=0 HUIWEN_FETCH_PER_HOST_CONCURRENCY=16
export HUIWEN_INGEST_CONCURRENCY=16 HUIWEN_INGEST_MIN_INTERVAL_SECS=1 HUIWEN_INGEST_MAX_INTERVAL_SECS=1 HUIWEN_LOG=warn

# CPU seconds of every postgres process on this machine (server + backends).
pg_cpu() {
  python3 - <<'PY'
import os
tick = os.sysconf("SC_CLK_TCK"); total = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1: stat.rindex(")")]
    if name.startswith("postgres"):
        f = stat[stat.rindex(")") + 2:].split()
        total += sum(int(x) for x in f[11:15])  # utime stime cutime cstime
print(total / tick)
PY
}

# The kit waits before each Miniflux run until the machine is quiet (under
# 0.3 cores busy over 5 s, for at most QUIET_MAX_WAIT s): huiwen's rounds get
# the same wait, so neither side is measured while the other's database is
# still being written back to disk.
wait_quiet() {
  python3 - "${QUIET_MAX_WAIT:-20}" <<'PY'
import os, sys, time
def busy():
    f = open("/proc/stat").readline().split()[1:]
    v = [int(x) for x in f]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # all but idle, iowait
start = time.time()
while True:
    b = busy(); time.sleep(5); load = (busy() - b) / 5
    if load < 0.3 or time.time() - start > float(sys.argv[1]):
        break
PY
}

# Two times per round: the round itself (first claim to last write, as
# Miniflux's "refresh trigger to last entry created"), on which entries/s is
# computed, and the whole process (start, store open, close) for reference.
measure() { # server backend label args...
  local server=$1 backend=$2 label=$3; shift 3
  local before after
  before=$(pg_cpu)
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" "$@" fetch --once --json >"$work/round.json"
  after=$(pg_cpu)
  python3 - "$server" "$backend" "$label" "$work/round.json" "$work/time" "$before" "$after" <<'PY'
import json, sys
server, backend, label, path, timing, before, after = sys.argv[1:]
s = json.load(open(path))
wall, user, sys_, rss = open(timing).read().split()[-4:]
wall = float(wall)
pgcpu = float(after) - float(before)
pg = f"{pgcpu:.1f}" if backend == "postgres" else "–"
round_s = s["elapsed_ms"] / 1000
rate = f"{s['new_items'] / round_s:,.0f}" if s["new_items"] else "–"
print(f"| huiwen | {server} | {backend} | {label} | {s['new_items']} | {s['updated_items']} | {s['sources']} | {s['not_modified']} | {round_s:.2f} | {rate} | {wall:.2f} | {float(user) + float(sys_):.1f} | {pg} | {int(rss) / 1024:.0f} |")
if s["errors"]:
    print(f"<!-- {len(s['errors'])} errors, first: {s['errors'][0]} -->")
PY
}

for server in ${FEED_SERVERS:-python rust}; do
  echo "== Miniflux, feed server: $server (peer kit harness, RUNS=${RUNS:-1})"
  "$py" "$kit/measure_miniflux.py" pg-start >/dev/null
  start_server "$server"
  for r in $(seq 1 "${RUNS:-1}"); do
    QUIET_MAX_WAIT=${QUIET_MAX_WAIT:-20} "$py" "$kit/measure_miniflux.py" run --mode opml --label "opml_${server}_r$r" | tail -1
  done
  "$py" "$kit/measure_miniflux.py" pg-stop >/dev/null
  echo "== huiwen, feed server: $server"
  echo
  echo "| system | feed server | backend | round | entries stored | entries updated | sources | not modified | round s | entries/s | process s | CPU s (huiwen) | CPU s (PostgreSQL) | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  # As many fresh stores per backend as Miniflux gets runs, so both sides
  # show how much a run moves.
  for r in $(seq 1 "${RUNS:-1}"); do
    for backend in sqlite postgres; do
      if [ "$backend" = sqlite ]; then
        rm -rf "$work/sqlite"
        args=(--data-dir "$work/sqlite")
      else
        psql "$pg" -qc 'select 1' >/dev/null 2>&1 || { echo "| huiwen | $server | postgres | not run: $pg unreachable |"; continue; }
        psql "$pg" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
        args=(--db "$pg")
        export HUIWEN_STORE_POSTGRES_SCHEMA=$schema
      fi
      "$bin" "${args[@]}" source import-opml "$PEER_WORK/feeds/feeds.opml" --json >/dev/null
      wait_quiet
      measure "$server" "$backend" "all new" "${args[@]}"
      sleep 2   # intervals of one second: every source is due again
      measure "$server" "$backend" "all 304" "${args[@]}"
      # The kit's third phase: the same bodies under a new Last-Modified, so
      # every feed answers 200 and nothing in it is new.
      sleep 1; touch "$PEER_WORK"/feeds/*.xml; sleep 1
      measure "$server" "$backend" "same bodies" "${args[@]}"
    done
  done
  stop_server "$server"
  rm -rf "$work/sqlite"
  psql "$pg" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  echo
done
echo "== Miniflux summary (all runs in $PEER_WORK/results)"
"$py" "$kit/summarize.py"
