#!/usr/bin/env bash
# Import benchmark: items/s of `huiwen import` on both backends, for a first
# run (everything new) and a second run (everything unchanged), with CPU
# seconds and peak memory of the huiwen process.
#
#   bench/import.sh [CORPUS]        default: ../shared/data/news/finance-flash.dev.jsonl.gz
#
# PostgreSQL: HUIWEN_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test);
# the run uses its own schema and drops it afterwards. Work files go to /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/data/news/finance-flash.dev.jsonl.gz}
pg=${HUIWEN_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
schema="huiwen_bench_$$"
work=$(mktemp -d /tmp/huiwen-bench-import.XXXXXX)
trap 'rm -rf "$work"; psql "$pg" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT

cargo build --release -q -p huiwen
bin=target/release/huiwen
echo "corpus: $corpus ($(du -h "$corpus" | cut -f1)); machine: $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| backend | run | records | imported | unchanged | rejected | seconds | items/s | CPU s (huiwen) | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|"

run() { # backend label args...
  local backend=$1 label=$2; shift 2
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" "$@" import "$corpus" --json >"$work/summary.json" 2>"$work/log" || true
  python3 - "$backend" "$label" "$work/summary.json" "$work/time" <<'PY'
import json, sys
backend, label, summary, timing = sys.argv[1:]
s = json.load(open(summary))
wall, user, sys_, rss = open(timing).read().split()[-4:]
records = s["imported"] + s["updated"] + s["unchanged"] + s["rejected"]
print(f"| {backend} | {label} | {records} | {s['imported']} | {s['unchanged']} | {s['rejected']} | {float(wall):.1f} | {records/float(wall):,.0f} | {float(user)+float(sys_):.1f} | {int(rss)/1024:.0f} |")
PY
}

run sqlite first --data-dir "$work/sqlite"
run sqlite second --data-dir "$work/sqlite"
if psql "$pg" -qc 'select 1' >/dev/null 2>&1; then
  export HUIWEN_STORE_POSTGRES_SCHEMA=$schema
  run postgres first --db "$pg"
  run postgres second --db "$pg"
else
  echo "| postgres | not run: $pg unreachable | | | | | | | | |"
fi
