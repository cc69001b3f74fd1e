#!/usr/bin/env bash
# Ingest benchmark: huiwen against Miniflux 2.2 on the same 200 generated
# Chinese news feeds (10,000 entries, 10 % reposted across feeds), served by
# the peer kit's feed server on 127.0.0.1:8081, in one run.
#
#   RUNS=1 bench/ingest.sh        # Miniflux runs (its kit), then huiwen on SQLite and PostgreSQL
#
# Miniflux is measured by ../shared/peers/miniflux (its own PostgreSQL on
# :5433, 16 workers). huiwen imports the kit's feeds.opml and runs
# `huiwen fetch --once`; per-host politeness is relaxed for this run only
# (all 200 feeds live on one host, 127.0.0.1, where huiwen would otherwise
# space requests a second apart): per-host interval 0, concurrency 16.
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

cargo build --release -q -p huiwen
bin=${CARGO_TARGET_DIR:-$root/target}/release/huiwen

echo "== Miniflux (peer kit, RUNS=${RUNS:-1})"
RUNS=${RUNS:-1} bash "$kit/run.sh" 2>&1 | grep -v "^+ \|^waiting\|^server\|^stopped"

echo "== huiwen"
trap '"$py" "$kit/measure_miniflux.py" serve-stop >/dev/null 2>&1 || true; rm -rf "$work"; psql "$pg" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT
"$py" "$kit/measure_miniflux.py" serve-start >/dev/null
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

echo
# Two times per round: the round itself (first claim to last write, as
# Miniflux's "refresh trigger to last entry created"), on which entries/s is
# computed, and the whole process (start, store open, close) for reference.
echo "| system | backend | round | entries stored | sources | not modified | round s | entries/s | process s | CPU s (huiwen) | CPU s (PostgreSQL) | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
measure() { # backend label args...
  local backend=$1 label=$2; shift 2
  local before after
  before=$(pg_cpu)
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" "$@" fetch --once --json >"$work/round.json"
  after=$(pg_cpu)
  python3 - "$backend" "$label" "$work/round.json" "$work/time" "$before" "$after" <<'PY'
import json, sys
backend, label, path, timing, before, after = sys.argv[1:]
s = json.load(open(path))
wall, user, sys_, rss = open(timing).read().split()[-4:]
wall = float(wall)
pgcpu = float(after) - float(before)
pg = f"{pgcpu:.1f}" if backend == "postgres" else "–"
round_s = s["elapsed_ms"] / 1000
rate = f"{s['new_items'] / round_s:,.0f}" if s["new_items"] else "–"
print(f"| huiwen | {backend} | {label} | {s['new_items']} | {s['sources']} | {s['not_modified']} | {round_s:.2f} | {rate} | {wall:.2f} | {float(user) + float(sys_):.1f} | {pg} | {int(rss) / 1024:.0f} |")
if s["errors"]:
    print(f"<!-- {len(s['errors'])} errors, first: {s['errors'][0]} -->")
PY
}

for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then
    args=(--data-dir "$work/sqlite")
  else
    psql "$pg" -qc 'select 1' >/dev/null 2>&1 || { echo "| huiwen | postgres | not run: $pg unreachable |"; continue; }
    args=(--db "$pg")
    export HUIWEN_STORE_POSTGRES_SCHEMA=$schema
  fi
  "$bin" "${args[@]}" source import-opml "$PEER_WORK/feeds/feeds.opml" --json >/dev/null
  measure "$backend" "all new" "${args[@]}"
  sleep 2   # intervals of one second: every source is due again
  measure "$backend" "all 304" "${args[@]}"
done
