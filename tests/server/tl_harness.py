"""Starting turso-local for the driver scripts of tests/server, and a small JSON client."""
import http.client
import json
import os
import secrets
import subprocess
import urllib.parse

PREFIX = "turso-local listening on "


class Server:
    """A turso-local process on 127.0.0.1, port 0; url is known once it printed its line."""

    def __init__(self, binary, data, token, extra=()):
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data", data, "--token", token, *extra],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith(PREFIX):
            self.proc.kill()
            raise RuntimeError(f"turso-local did not start: {line!r} (exit {self.proc.wait()})")
        self.url = line[len(PREFIX):]
        self.token = token

    def kill9(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        """SIGTERM, and the clean exit it promises."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                code = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise RuntimeError("turso-local did not stop on SIGTERM")
            if code != 0:
                raise RuntimeError(f"turso-local exited with {code} on SIGTERM")


class Api:
    """One keep-alive connection; call() answers (status, parsed JSON or None, raw text)."""

    def __init__(self, url, token):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.base = u.path.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, headers=None):
        h = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        self.conn.request(method, self.base + path, body=data, headers=h)
        resp = self.conn.getresponse()
        raw = resp.read().decode("utf-8", "replace")
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            value = None
        self.last_headers = resp.headers
        return resp.status, value, raw

    def ok(self, method, path, body=None):
        status, value, raw = self.call(method, path, body)
        if not 200 <= status < 300:
            raise AssertionError(f"{method} {path}: {status} {raw}")
        return value

    def close(self):
        self.conn.close()


def new_token():
    return secrets.token_hex(24)


def quote(segment):
    return urllib.parse.quote(segment, safe="")


def remove_data(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass
