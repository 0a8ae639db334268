"""Starts a turso-local binary on 127.0.0.1:0 for one test, with a known token and admin token,
and gives the environment that points turso.client{} (and tursh) at it."""
import os
import re
import secrets
import subprocess
import threading


class LocalServer:
    def __init__(self, binary):
        self.token = "test-" + secrets.token_hex(16)
        self.admin_token = "admin-" + secrets.token_hex(16)
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data", ":memory:", "--token", self.token, "--admin-token", self.admin_token],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self._workdir())
        self.url = None
        for line in self.proc.stdout:
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.url = match.group(1).rstrip("/")
                break
        if not self.url:
            self.proc.kill()
            raise RuntimeError("turso-local did not print its URL")
        # Keep reading its output so that it never blocks on a full pipe.
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()

    def _workdir(self):
        # Its own folder, so that a data file it may write never meets another test's.
        import tempfile
        self.tmp = tempfile.TemporaryDirectory(prefix="tursh-test-")
        return self.tmp.name

    def _drain(self):
        for _ in self.proc.stdout:
            pass

    def env(self, base=None):
        env = dict(base if base is not None else os.environ)
        for name in ("TURSO_TOKEN", "TURSO_BASE_URL", "TURSO_CONFIG_FOLDER"):
            env.pop(name, None)
        env.update(TURSO_API_TOKEN=self.token, TURSO_API_BASEURL=self.url, TURSO_ORG="local",
                   TURSO_TEST_ADMIN_TOKEN=self.admin_token)
        return env

    def admin(self, path, body):
        """POSTs JSON to an admin route (faults)."""
        import json
        import urllib.request
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": "Bearer " + self.admin_token,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.drain.join(timeout=10)
            self.proc.stdout.close()
        self.tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
