#!/usr/bin/env bash
# Extraction benchmark: huiwen-extract against the Python peers (and, when they
# build, the Rust crates dom_smoothie and rs-trafilatura) on the labelled pages
# in ../shared/data/extract, all in ONE eval.py run, so every row of the table
# was measured the same way on the same machine at the same time.
#
#   bench/extract.sh                      # all nine peers + huiwen (+ baselines)
#   EXTRACTORS=trafilatura,readability,magic_html,resiliparse bench/extract.sh
#   BASELINES=0 bench/extract.sh          # skip dom_smoothie / rs-trafilatura
#   LIMIT=5 bench/extract.sh              # first 5 pages of each dataset (quick check)
#
# Prints eval.py's tables (body P/R/F1 per dataset and Chinese vs other, title,
# date, author, pages/s incl. process start for commands), then huiwen's own
# in-process harness (examples/eval.rs: same tokenization and metrics, pages/s
# on one core without process start-up).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${HUIWEN_SHARED:-$ROOT/../shared}
DATA=$SHARED/data/extract
PEERS=$SHARED/peers/extract
export PEER_WORK=${PEER_WORK:-/tmp/huiwen-peer-extract}
OUT=${OUT:-$PEER_WORK/results-huiwen}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cd "$ROOT"

cargo build --release -p huiwen
cargo build --release -p huiwen-extract --example eval
HUIWEN=$CARGO_TARGET_DIR/release/huiwen

cmds=(--cmd "$HUIWEN extract {html} --url {url} --json" --cmd-name huiwen)
if [ "${BASELINES:-1}" = 1 ]; then
  # Its own workspace and target dir: their dependency trees stay out of the main build.
  if (cd bench/extract-baselines && CARGO_TARGET_DIR=$CARGO_TARGET_DIR/baselines cargo build --release); then
    B=$CARGO_TARGET_DIR/baselines/release/huiwen-extract-baselines
    cmds+=(--cmd "$B dom_smoothie {html} {url}" --cmd-name dom_smoothie
           --cmd "$B rs_trafilatura {html} {url}" --cmd-name rs_trafilatura)
  else
    echo "note: the dom_smoothie / rs-trafilatura baselines did not build; measuring without them" >&2
  fi
fi

[ -x "$PEER_WORK/venv/bin/python" ] || "$PEERS/setup.sh"
PY=$PEER_WORK/venv/bin/python
# No network, as the reference numbers were measured (root: unshare -n; else a user namespace).
if unshare -n true 2>/dev/null; then NET=(unshare -n); elif unshare -rn true 2>/dev/null; then NET=(unshare -rn); else NET=(); fi
limit=()
[ -n "${LIMIT:-}" ] && limit=(--limit "$LIMIT")
"${NET[@]}" "$PY" "$PEERS/eval.py" --data "$DATA" --out "$OUT" \
  --extractors "${EXTRACTORS:-all}" "${cmds[@]}" "${limit[@]}"

echo
echo "## huiwen-extract in process (examples/eval.rs), one core"
"$CARGO_TARGET_DIR/release/examples/eval" --data "$DATA" ${LIMIT:+--limit "$LIMIT"}
if [ -n "${B:-}" ]; then
  for x in dom_smoothie rs_trafilatura huiwen; do
    "$B" "$x" --speed "$DATA"/cwced "$DATA"/magichtml "$DATA"/wcxb_article
  done
fi
