#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS on its committed corpus (read-only: new inputs go to a
# temporary directory). A crash prints the input (hex) and fails; add it to the corpus after fixing.
# usage: run.sh TARGET CORPUS_DIR SECONDS [extra libFuzzer flags...]
set -euo pipefail
target=$1 corpus=$2 seconds=$3
shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/new"
set +e
"$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$work/" "$@" "$work/new" "$corpus" >"$work/log" 2>&1
rc=$?
set -e
tail -n 40 "$work/log"
if [ $rc -ne 0 ]; then
  for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$a" ] || continue
    echo "=== $(basename "$a") ($(stat -c %s "$a") bytes), hex:"
    od -An -tx1 -v "$a" | head -n 40
    if [ -n "${FUZZ_KEEP_CRASHES:-}" ]; then cp "$a" "$FUZZ_KEEP_CRASHES/"; fi
  done
  exit $rc
fi
