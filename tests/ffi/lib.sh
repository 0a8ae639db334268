# Shared by the FFI test scripts (sourced). Env: TP_PREFIX (the installed library),
# TP_SOURCE_DIR, TP_WORK_DIR, TP_CACHE_DIR; TURSO_API_* from with_server.py.
set -euo pipefail
export PKG_CONFIG_PATH=$TP_PREFIX/lib/pkgconfig
export LD_LIBRARY_PATH=$TP_PREFIX/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# The examples are not built with sanitizers: keep the main build's settings out of them.
unset CFLAGS CXXFLAGS LDFLAGS
# Each script may run alone (ctest -R): none relies on another having made the work directory.
mkdir -p "$TP_WORK_DIR"

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

# expect_failure LABEL REGEX COMMAND...: COMMAND (e.g. `env TURSO_API_TOKEN=x ./databases`) exits
# with status 1 and prints exactly one line on stderr, matching REGEX: no sanitizer report, abort,
# traceback or Debug dump. It creates nothing and never prints the platform token.
expect_failure() {
    local label=$1 want=$2 err rc
    shift 2
    set +e
    err=$("$@" 2>&1 >"$TP_WORK_DIR/$label.out")
    rc=$?
    set -e
    printf '%s\n' "$err" | sed "s/^/[$label] /"
    if grep -qE 'Sanitizer|runtime error|double free|free\(\)' <<<"$err"; then
        echo "[$label] a sanitizer or glibc report" >&2
        return 1
    fi
    [ "$rc" = 1 ] || { echo "[$label] exit status $rc, want 1" >&2; return 1; }
    [ "$(wc -l <<<"$err")" = 1 ] && grep -qE "$want" <<<"$err" \
        || { echo "[$label] want one line on stderr matching: $want" >&2; return 1; }
    ! grep -q '^created:' "$TP_WORK_DIR/$label.out" || { echo "[$label] created a database" >&2; return 1; }
    ! grep -qF "$TURSO_API_TOKEN" <<<"$err" || { echo "[$label] the token was printed" >&2; return 1; }
}
