#!/usr/bin/env bash
# Chinese-text benchmark (huiwen-zh): PKU/MSR segmentation F1 and OOV recall
# with and without the finance dictionary, security-entity recall/precision
# against the flash corpus's `stocks` labels, segmentation MB/s against
# jieba-rs `cut` on the same text, whole-article analysis items/s, and the
# end-to-end `huiwen analyze --jsonl` rate over the whole flash corpus.
#
#   bench/zh.sh [SHARED]          default: ../shared
#   bench/zh.sh [SHARED] --no-cli skip the `huiwen analyze --jsonl` run
#
# Work files go to /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
target=${CARGO_TARGET_DIR:-target}
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
cargo build --release -q -p huiwen-zh --example evaluate
"$target/release/examples/evaluate" "$shared" seg
echo
"$target/release/examples/evaluate" "$shared" entities
echo
"$target/release/examples/evaluate" "$shared" speed
if [ "${2:-}" = "--no-cli" ]; then exit 0; fi

work=$(mktemp -d /tmp/huiwen-bench-zh.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p huiwen
python3 - "$shared/data/news/finance-flash.dev.jsonl.gz" "$work/in.jsonl" <<'PY'
import gzip, json, sys
with gzip.open(sys.argv[1], "rt") as f, open(sys.argv[2], "w") as out:
    for line in f:
        d = json.loads(line)
        out.write(json.dumps({"text": d["title"] + "\n" + d["content"], "ref_time": d["datetime"]}, ensure_ascii=False) + "\n")
PY
n=$(wc -l <"$work/in.jsonl")
/usr/bin/time -f '%e %M' -o "$work/time" "$target/release/huiwen" analyze --jsonl "$work/in.jsonl" >"$work/out.jsonl"
read -r secs rss <"$work/time"
python3 - "$n" "$secs" "$rss" "$work/out.jsonl" <<'PY'
import json, sys
n, secs, rss, out = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = [json.loads(l) for l in open(out)]
errors = sum(1 for r in rows if "error" in r)
print(f"huiwen analyze --jsonl: {n} items in {secs:.1f} s = {n / secs:,.0f} items/s "
      f"(one process, dictionary load included; {errors} errors; peak RSS {rss // 1024} MiB)")
PY
