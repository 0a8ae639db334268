"""Starts a turso-local for the session from $TURSO_LOCAL (the binary), and makes the example's
module importable."""
import os
import secrets
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("TURSO_LOCAL")
    if not binary:
        pytest.fail("set TURSO_LOCAL to the turso-local binary (tests/ffi does)")
    token = "py-" + secrets.token_hex(16)
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--data", ":memory:", "--token", token],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        prefix = "turso-local listening on "
        if not line.startswith(prefix):
            pytest.fail(f"turso-local did not print its URL: {line!r}")
        yield {"base_url": line[len(prefix):].strip(), "token": token, "org": "local"}
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


@pytest.fixture
def client(server):
    import turso_platform as tp
    with tp.Client(**server) as c:
        yield c
