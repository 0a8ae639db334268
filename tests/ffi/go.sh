#!/usr/bin/env bash
# Vets and tests examples/go (go test -race; TestMain starts its own turso-local from
# $TURSO_LOCAL), then builds and runs its example program against with_server.py's turso-local.
source "$(dirname "$0")/lib.sh"
skip_unless go
export CGO_ENABLED=1 GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=readonly GOWORK=off
export GOCACHE=$TP_CACHE_DIR/go-build GOPATH=$TP_CACHE_DIR/gopath
work=$TP_WORK_DIR/go
rm -rf "$work" && mkdir -p "$work"
cd "$TP_SOURCE_DIR/examples/go"
test -z "$(gofmt -l .)" || { echo "gofmt would change: $(gofmt -l .)"; exit 1; }
go vet ./...
go test -race -count=1 -v ./... 2>&1 | tee "$work/test.log" | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)' || true
grep -q '^ok ' "$work/test.log" && ! grep -q -- '--- FAIL' "$work/test.log" || { cat "$work/test.log"; exit 1; }
grep -q -- '--- PASS: TestConcurrentGoroutines' "$work/test.log"
go build -o "$work/databases" ./cmd/databases
check_example go ffi-go "$("$work/databases" ffi-go)"
expect_failure go-wrong-token '^turso: databases\.create: TP_E_UNAUTHORIZED \(HTTP 401\): .+$' \
    env TURSO_API_TOKEN=not-the-token "$work/databases" ffi-go-fail
# Labelled by what failed: the environment, not a request.
expect_failure go-bad-base-url \
    '^turso: environment: TP_E_INVALID_ARGUMENT: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host$' \
    env TURSO_API_BASEURL=localhost:8080 "$work/databases" ffi-go-fail
echo "examples/go: passed"
