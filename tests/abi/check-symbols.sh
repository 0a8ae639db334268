#!/usr/bin/env bash
# The exported dynamic symbols of libturso_platform.so must be exactly tests/abi/symbols.txt,
# and all of them tp_*. A deliberate change: tests/abi/update-baseline.sh.
#   check-symbols.sh LIB SYMBOLS_TXT
source "$(dirname "$0")/abi-common.sh"
lib=$1 expected=$2
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
exported_symbols "$lib" >"$actual"
status=0
count=$(wc -l <"$actual")
if [ "$count" -lt 100 ]; then
    echo "only $count exported symbols in $lib"
    status=1
fi
bad=$(grep -v '^tp_' "$actual" || true)
if [ -n "$bad" ]; then
    echo "exported symbols that are not tp_*:"
    echo "$bad" | sed 's/^/  /'
    status=1
fi
if ! diff -u --label symbols.txt --label "$lib" "$expected" "$actual"; then
    echo "the exported symbols differ from tests/abi/symbols.txt (- committed, + built)."
    echo "Removing one breaks the ABI; adding one needs tests/abi/update-baseline.sh."
    status=1
fi
[ "$status" = 0 ] && echo "$count exported symbols, all tp_*, as in symbols.txt"
exit "$status"
