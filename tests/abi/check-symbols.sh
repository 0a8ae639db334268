#!/usr/bin/env bash
# The exported dynamic symbols of libturso_platform.so must be exactly tests/abi/symbols.txt,
# and all of them tp_*. A deliberate change: tests/abi/update-baseline.sh. The static archive,
# which a tool links into its own namespace of symbols, may define no other global symbol than
# tp_* and C++ names inside turso::platform (weak template instances aside).
#   check-symbols.sh LIB SYMBOLS_TXT [ARCHIVE]
source "$(dirname "$0")/abi-common.sh"
lib=$1 expected=$2 archive=${3:-}
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
if [ -n "$archive" ]; then
    stray=$(nm -g --defined-only "$archive" | awk 'NF == 3 && $2 !~ /^[VWvwu]$/ {print $3}' |
        grep -v '^tp_' | grep -Ev '^_Z(T[VIS]|Th[n0-9]+_|Tv[n0-9_]+_|GV)?N[KVr]*5turso8platform' | sort -u || true)
    if [ -n "$stray" ]; then
        echo "global symbols of $archive outside tp_* and turso::platform (they can clash with a tool's own):"
        echo "$stray" | sed 's/^/  /'
        status=1
    fi
fi
[ "$status" = 0 ] && echo "$count exported symbols, all tp_*, as in symbols.txt${archive:+; the archive defines no stray globals}"
exit "$status"
