# Shared by the FFI test scripts (sourced). Env: TP_PREFIX (the installed library),
# TP_SOURCE_DIR, TP_WORK_DIR, TP_CACHE_DIR; TURSO_API_* from with_server.py.
set -euo pipefail
export PKG_CONFIG_PATH=$TP_PREFIX/lib/pkgconfig
export LD_LIBRARY_PATH=$TP_PREFIX/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# The examples are not built with sanitizers: keep the main build's settings out of them.
unset CFLAGS CXXFLAGS LDFLAGS

# skip_unless COMMAND: exit 77 (ctest's "skipped") when a toolchain is missing.
skip_unless() {
    command -v "$1" >/dev/null || { echo "$1 not found: skipped"; exit 77; }
}

# check_example LABEL NAME OUTPUT: what every example program prints for database NAME.
check_example() {
    local label=$1 name=$2 out=$3
    printf '%s\n' "$out" | sed "s/^/[$label] /"
    grep -q "^created: $name " <<<"$out"
    grep -q "^database token: [1-9][0-9]* characters$" <<<"$out"
    grep -q "^  - $name$" <<<"$out"
    grep -q "^deleted: $name$" <<<"$out"
    grep -q "^deleting again: TP_E_NOT_FOUND (HTTP 404)$" <<<"$out"
    if grep -qF "$TURSO_API_TOKEN" <<<"$out"; then
        echo "[$label] the platform token was printed" >&2
        return 1
    fi
}
