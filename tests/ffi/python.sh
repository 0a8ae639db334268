#!/usr/bin/env bash
# Runs examples/python's pytest suite (it starts its own turso-local from $TURSO_LOCAL) and the
# example program against with_server.py's turso-local.
source "$(dirname "$0")/lib.sh"
python3 -c 'import pytest' 2>/dev/null || { echo "pytest not found: skipped"; exit 77; }
cd "$TP_SOURCE_DIR/examples/python"
PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider tests
check_example python ffi-python "$(PYTHONDONTWRITEBYTECODE=1 python3 databases.py ffi-python)"
# A failure is one line saying what failed, not a traceback.
expect_failure python-wrong-token '^databases\.py: databases\.create: TP_E_UNAUTHORIZED \(HTTP 401\): .+$' \
    env PYTHONDONTWRITEBYTECODE=1 TURSO_API_TOKEN=not-the-token python3 databases.py ffi-python-fail
expect_failure python-bad-base-url \
    '^databases\.py: TP_E_INVALID_ARGUMENT: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host$' \
    env PYTHONDONTWRITEBYTECODE=1 TURSO_API_BASEURL=localhost:8080 python3 databases.py ffi-python-fail
echo "examples/python: passed"
