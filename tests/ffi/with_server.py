#!/usr/bin/env python3
"""Runs a command against a fresh turso-local.

    with_server.py TURSO_LOCAL_BINARY -- COMMAND [ARGS...]

Starts `TURSO_LOCAL_BINARY --listen 127.0.0.1:0 --data :memory: --token <random>`, waits for its
"turso-local listening on http://HOST:PORT" line, then runs COMMAND with TURSO_API_BASEURL,
TURSO_API_TOKEN and TURSO_ORG (= "local", the bootstrap user's personal organization) set,
and exits with COMMAND's exit code. The server is stopped in every case. The token is never
printed.
"""
import os
import secrets
import subprocess
import sys
import threading


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    binary, command = sys.argv[1], sys.argv[3:]
    token = "ffi-" + secrets.token_hex(16)
    server = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--data", ":memory:", "--token", token],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    try:
        url = None
        found = threading.Event()

        def read_banner() -> None:
            nonlocal url
            line = server.stdout.readline()
            prefix = "turso-local listening on "
            if line.startswith(prefix):
                url = line[len(prefix):].strip()
            found.set()
            # Keep draining stdout so the server never blocks on a full pipe.
            for _ in server.stdout:
                pass

        threading.Thread(target=read_banner, daemon=True).start()
        found.wait(60)
        if url is None:
            print(f"with_server.py: {binary} did not print its URL", file=sys.stderr)
            return 1
        env = dict(os.environ, TURSO_API_BASEURL=url, TURSO_API_TOKEN=token, TURSO_ORG="local")
        env.pop("TURSO_TOKEN", None)
        env.pop("TURSO_BASE_URL", None)
        return subprocess.call(command, env=env)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
