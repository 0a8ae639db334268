#!/usr/bin/env bash
# Tests examples/rust (the -sys crate's header checker and the safe crate against
# with_server.py's turso-local) and runs its example program. No registry access: the crates
# have no third-party dependencies (Cargo.lock is committed; --locked --offline).
source "$(dirname "$0")/lib.sh"
skip_unless cargo
export CARGO_TARGET_DIR=$TP_CACHE_DIR/cargo-target
export TP_HEADER=$TP_PREFIX/include/turso_platform.h
cd "$TP_SOURCE_DIR/examples/rust"
cargo test --locked --offline -j2 2>&1 | tee "$TP_WORK_DIR/rust-test.log" | grep -E '^(test |test result|error|running)' || true
grep -q '^test result: ok' "$TP_WORK_DIR/rust-test.log" && ! grep -qE '^test result: FAILED|^error' "$TP_WORK_DIR/rust-test.log" \
    || { cat "$TP_WORK_DIR/rust-test.log"; exit 1; }
grep -q '^test functions_match_the_header ... ok' "$TP_WORK_DIR/rust-test.log"
grep -q '^test threads_share_one_client ... ok' "$TP_WORK_DIR/rust-test.log"
check_example rust ffi-rust "$(cargo run --locked --offline -q --example databases -- ffi-rust)"
# A failure is the error's Display form ("Error { status: ... }" was its Debug form), status 1.
expect_failure rust-wrong-token '^databases: databases\.create: TP_E_UNAUTHORIZED \(HTTP 401\): .+$' \
    env TURSO_API_TOKEN=not-the-token cargo run --locked --offline -q --example databases -- ffi-rust-fail
expect_failure rust-bad-base-url \
    '^databases: turso-platform: TP_E_INVALID_ARGUMENT: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host$' \
    env TURSO_API_BASEURL=localhost:8080 cargo run --locked --offline -q --example databases -- ffi-rust-fail
echo "examples/rust: passed"
