#!/usr/bin/env bash
# Compares the ABI of libturso_platform.so (a non-sanitized build with debug info) with the
# committed baseline (tests/abi/baseline.abi, made by abidw): fails on any incompatible change
# (a removed function, a changed signature or type, a changed layout); compatible changes
# (added functions) are shown and pass. A deliberate change: tests/abi/update-baseline.sh.
#   check-abi.sh LIB INCLUDE_DIR BASELINE
source "$(dirname "$0")/abi-common.sh"
lib=$1 include=$2 baseline=$3
command -v abidiff >/dev/null || { echo "abidiff not found (Debian: abigail-tools): skipped"; exit 77; }
current=$(mktemp --suffix .abi)
trap 'rm -f "$current" "$current.report"' EXIT
# The library must carry debug info, or abidw sees no types and the comparison proves nothing.
[[ $(readelf -S -W "$lib") == *.debug_info* ]] || { echo "$lib has no debug info"; exit 1; }
abi_dump "$lib" "$include" "$current"
grep -q '<function-decl name=.tp_client_new' "$current" || { echo "abidw found no tp_client_new"; exit 1; }
set +e
abidiff "$baseline" "$current" >"$current.report" 2>&1
rc=$?
set -e
cat "$current.report"
# abidiff's status is a bit mask: 1 error, 2 usage error, 4 ABI change, 8 incompatible change.
# libabigail only counts removals as certainly incompatible, and reports a changed parameter or
# return type as a mere "change": this guard fails on every removed or changed function,
# variable or symbol, and lets additions pass.
if (( rc & 11 )); then
    echo "abidiff: incompatible ABI change or error (status $rc)"
    exit 1
fi
changed=$(grep -E 'changes summary:' "$current.report" | grep -Eo '[0-9]+ (Removed|Changed)' | awk '$1 > 0' || true)
if [ -n "$changed" ]; then
    echo "abidiff: functions, variables or symbols of the baseline were removed or changed:" $changed
    exit 1
fi
if (( rc & 4 )); then
    echo "abidiff: additions only (see above); record them with tests/abi/update-baseline.sh"
else
    echo "abidiff: the ABI is the baseline's"
fi
