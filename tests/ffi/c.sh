#!/usr/bin/env bash
# Builds examples/c against the installed library, once with its Makefile (pkg-config) and once
# with its CMakeLists.txt (find_package), and runs both against the turso-local that
# with_server.py started. Env: TP_PREFIX, TP_SOURCE_DIR, TP_WORK_DIR.
set -euo pipefail
work=$TP_WORK_DIR/c
rm -rf "$work" && mkdir -p "$work/make" "$work/cmake"
export LD_LIBRARY_PATH=$TP_PREFIX/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

PKG_CONFIG_PATH=$TP_PREFIX/lib/pkgconfig make -s -f "$TP_SOURCE_DIR/examples/c/Makefile" OUT="$work/make"
cmake -S "$TP_SOURCE_DIR/examples/c" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$TP_PREFIX" >/dev/null
cmake --build "$work/cmake" >/dev/null

check() { # check LABEL PROGRAM DBNAME
    local out
    out=$("$2" "$3")
    printf '%s\n' "$out" | sed "s/^/[$1] /"
    grep -q "^created: $3 " <<<"$out"
    grep -q "^database token: [1-9][0-9]* characters$" <<<"$out"
    grep -q "^  - $3$" <<<"$out"
    grep -q "^deleted: $3$" <<<"$out"
    grep -q "^deleting again: TP_E_NOT_FOUND (HTTP 404)$" <<<"$out"
    if grep -qF "$TURSO_API_TOKEN" <<<"$out"; then echo "the platform token was printed" >&2; exit 1; fi
}
check make "$work/make/databases" ffi-c-make
check cmake "$work/cmake/databases" ffi-c-cmake
# The pkg-config build links the shared library, which the dynamic loader found in the prefix.
ldd "$work/make/databases" | grep -q "libturso_platform.so.0 => $TP_PREFIX/lib/"
echo "examples/c: both builds passed"
