#!/usr/bin/env bash
# Builds examples/static against libturso_platform.a and checks that the binary does not load
# the shared library (nor libcurl), then runs it against with_server.py's turso-local.
source "$(dirname "$0")/lib.sh"
work=$TP_WORK_DIR/static
rm -rf "$work" && mkdir -p "$work"
make -s -f "$TP_SOURCE_DIR/examples/static/Makefile" OUT="$work"
bin=$work/tp-validate
ldd "$bin" | tee "$work/ldd.txt"
if grep -q libturso_platform "$work/ldd.txt"; then echo "tp-validate loads libturso_platform" >&2; exit 1; fi
if grep -q libcurl "$work/ldd.txt"; then echo "tp-validate loads libcurl" >&2; exit 1; fi
# Nothing in it may come from the prefix's shared library, even with LD_LIBRARY_PATH pointing there.
nm "$bin" >"$work/nm.txt"
grep -q ' T tp_tokens_validate$' "$work/nm.txt"

out=$("$bin")
echo "$out"
grep -q "^token valid, " <<<"$out"
set +e
out=$(TURSO_API_TOKEN=not-the-token "$bin")
rc=$?
set -e
echo "$out"
[ "$rc" = 1 ] && grep -q "^token refused: TP_E_UNAUTHORIZED (HTTP 401)" <<<"$out"
# A refused environment value: tp-validate prints tp_options_error, which names the variable.
set +e
err=$(TURSO_API_BASEURL=localhost:8080 "$bin" 2>&1 >/dev/null)
rc=$?
set -e
echo "$err"
[ "$rc" = 2 ] && [ "$err" = "tp-validate: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host" ]
echo "examples/static: passed"
