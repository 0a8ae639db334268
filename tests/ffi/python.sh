#!/usr/bin/env bash
# Runs examples/python's pytest suite (it starts its own turso-local from $TURSO_LOCAL) and the
# example program against with_server.py's turso-local.
source "$(dirname "$0")/lib.sh"
python3 -c 'import pytest' 2>/dev/null || { echo "pytest not found: skipped"; exit 77; }
cd "$TP_SOURCE_DIR/examples/python"
PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider tests
check_example python ffi-python "$(PYTHONDONTWRITEBYTECODE=1 python3 databases.py ffi-python)"
echo "examples/python: passed"
