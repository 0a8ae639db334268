import contextlib
import http.server
import json
import os
import re
import socket
import threading
import time
import urllib.parse

import pytest

import turso_platform as tp


def test_version_and_operations():
    parts = [int(p) for p in tp.version().split(".")]
    assert len(parts) == 3
    assert "databases.create_token" in tp.operations()
    assert tp.STATUS[24] == "TP_E_NOT_FOUND"


def test_database_lifecycle(client):
    db = client.create_database("py-lifecycle", group="default")
    assert db["Name"] == "py-lifecycle" and db["Hostname"] and db["DbId"]

    with pytest.raises(tp.Error) as e:
        client.create_database("py-lifecycle", group="default")
    assert (e.value.status_name, e.value.http_status, e.value.op) == ("TP_E_CONFLICT", 409, "databases.create")
    assert e.value.message

    jwt = client.create_database_token("py-lifecycle", expiration="1d", read_only=True)
    assert jwt.count(".") == 2

    assert "py-lifecycle" in [d["Name"] for d in client.list_databases()]

    client.delete_database("py-lifecycle")
    with pytest.raises(tp.Error) as e:
        client.delete_database("py-lifecycle")
    assert (e.value.status_name, e.value.http_status) == ("TP_E_NOT_FOUND", 404)
    assert "TP_E_NOT_FOUND" in str(e.value) and "404" in str(e.value)


def test_generic_call(client):
    client.call("databases.create", {"name": "py-generic", "group": "default"})
    r = client.call("databases.get", {"db": "py-generic", "org": "local"})
    assert r.http_status == 200
    assert r.data["database"]["Name"] == "py-generic"
    assert b"py-generic" in r.body
    assert isinstance(client.call("tokens.validate").data["exp"], int)
    client.call("databases.delete", {"db": "py-generic"})


def test_argument_errors(client):
    with pytest.raises(tp.Error) as e:
        client.call("databases.no_such_operation")
    assert (e.value.status_name, e.value.http_status) == ("TP_E_INVALID_ARGUMENT", 0)
    assert e.value.message
    with pytest.raises(tp.Error) as e:
        client.call("databases.get", {"db": "x", "no_such_param": 1})
    assert e.value.status_name == "TP_E_INVALID_ARGUMENT"


def test_nul_characters_are_refused_not_cut(client, server):
    # C reads a string up to its first NUL: "victim\x00-user42" would delete "victim".
    client.create_database("victim", group="default")
    for call in (lambda: client.delete_database("victim\x00-user42"),
                 lambda: client.call("databases.delete", {"db": "victim\x00"}),
                 lambda: client.call("databases.delete\x00x", {"db": "victim"}),
                 lambda: client.call("databases.delete", {"db\x00x": "victim"})):
        with pytest.raises(ValueError, match="contains a NUL byte"):
            call()
    assert "victim" in [d["Name"] for d in client.list_databases()], "nothing was deleted"
    client.delete_database("victim")
    for name in ("token", "base_url", "org", "user_agent"):
        settings = dict(server, **{name: "http://127.0.0.1/\x00x"})
        with pytest.raises(ValueError, match=f"^{name} contains a NUL byte$"):
            tp.Client(**settings)
    with pytest.raises(ValueError) as e:
        tp.Client(**dict(server, token=server["token"] + "\x00x"))
    assert server["token"] not in str(e.value)
    # Inside JSON values a NUL is escaped (\u0000) by json.dumps, so it is sent whole.
    with pytest.raises(tp.Error) as e:
        client.call("databases.create", {"name": "n", "group": "default", "seed": {"type": "x\x00y"}})
    assert e.value.http_status == 400, "turso-local refuses a NUL in a JSON body: it arrived"


def test_unauthorized(server):
    with tp.Client(token="not-the-token", base_url=server["base_url"], org="local") as c:
        with pytest.raises(tp.Error) as e:
            c.list_databases()
    assert (e.value.status_name, e.value.http_status) == ("TP_E_UNAUTHORIZED", 401)
    assert server["token"] not in str(e.value)


def test_from_env(server, monkeypatch):
    monkeypatch.setenv("TURSO_API_TOKEN", server["token"])
    monkeypatch.setenv("TURSO_API_BASEURL", server["base_url"])
    monkeypatch.setenv("TURSO_ORG", "local")
    with tp.Client.from_env() as c:
        assert c.org == "local"
        assert c.base_url.rstrip("/") == server["base_url"].rstrip("/")
        assert isinstance(c.list_databases(), list)


def test_refused_settings_say_why(server, monkeypatch):
    # The library's reason: the setting or variable and why, never the value.
    for kwargs, why in [
        ({"base_url": "http://user:s3cret@127.0.0.1:1"},
         "base_url: the URL must not contain a user name or password (user@host)"),
        ({"token": "s3cret\r\nX-Injected: 1"}, "token contains a control character (such as CR or LF)"),
        ({"timeout": 0}, "timeout_ms must be greater than 0"),
    ]:
        with pytest.raises(tp.Error) as e:
            tp.Client(**kwargs)
        assert (e.value.status_name, e.value.message) == ("TP_E_INVALID_ARGUMENT", why)
        assert "s3cret" not in str(e.value)
    monkeypatch.setenv("TURSO_API_TOKEN", server["token"])
    monkeypatch.setenv("TURSO_API_BASEURL", "localhost:8080")
    with pytest.raises(tp.Error) as e:
        tp.Client.from_env(base_url=server["base_url"])  # refused before any override
    assert e.value.message == "TURSO_API_BASEURL: the URL must start with http:// or https:// and a host"
    monkeypatch.setenv("TURSO_API_BASEURL", server["base_url"])
    monkeypatch.setenv("TURSO_ORG", "acme\n")
    with pytest.raises(tp.Error) as e:
        tp.Client.from_env()
    assert e.value.message == "TURSO_ORG contains a control character (such as CR or LF)"


def test_closed_client(server):
    c = tp.Client(**server)
    assert (c.base_url.rstrip("/"), c.org) == (server["base_url"].rstrip("/"), "local")
    c.close()
    with pytest.raises(tp.Error) as e:
        c.list_databases()
    assert e.value.status_name == "TP_E_INVALID_ARGUMENT"
    for prop in ("base_url", "org"):
        with pytest.raises(tp.Error) as e:
            getattr(c, prop)
        assert (e.value.status_name, e.value.message) == ("TP_E_INVALID_ARGUMENT", f"{prop}: the client is closed")
    c.close()  # twice is fine


def test_error_names_the_operation_once():
    with tp.Client(base_url="http://127.0.0.1:1") as c:  # no default organization
        with pytest.raises(tp.Error) as e:
            c.call("databases.list")
    # The library's message names the operation itself; str() does not repeat it.
    assert e.value.message.startswith("databases.list: missing parameter 'org'")
    assert str(e.value).startswith("databases.list: TP_E_INVALID_ARGUMENT: missing parameter 'org'")
    assert str(e.value).count("databases.list") == 1


@contextlib.contextmanager
def answering(status, body, on_request):
    """A local server answering every GET and POST `status` with the JSON `body`, after
    on_request(handler); yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            on_request(self)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://%s:%d" % httpd.server_address
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def recorder():
    """A server that answers every request 200 {} and records its request line and body."""
    seen = []

    def record(handler):
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        seen.append((handler.command, urllib.parse.unquote(handler.path), body.decode()))

    with answering(200, b"{}", record) as url:
        with tp.Client(token="t", base_url=url, org="o", max_attempts=1) as c:
            yield c, seen


def test_numbers_are_sent_exactly_or_refused(recorder):
    client, seen = recorder
    # The int64 bounds, a float and a bool arrive as they are.
    client.call("databases.list", {"limit": 2**63 - 1, "schema": True})
    client.call("databases.create", {"name": "n", "size_limit": -2**63})
    client.call("databases.create", {"name": "n", "size_limit": 1.5, "is_schema": False})
    path, query = seen[0][1].split("?")
    assert (path, sorted(query.split("&"))) == ("/v1/organizations/o/databases",
                                                ["limit=9223372036854775807", "schema=true"])
    assert json.loads(seen[1][2]) == {"name": "n", "size_limit": -2**63}
    assert json.loads(seen[2][2]) == {"name": "n", "size_limit": 1.5, "is_schema": False}
    # Outside int64 ctypes would wrap (2**64 + 1 sent as 1); NaN and infinity have no JSON form.
    for value, why in [(2**63, "is out of range"), (2**64 + 1, "is out of range"), (-2**63 - 1, "is out of range"),
                       (float("nan"), "must be finite"), (float("inf"), "must be finite")]:
        with pytest.raises(tp.Error) as e:
            client.call("databases.list", {"limit": value})
        assert (e.value.status_name, e.value.http_status, e.value.op) == ("TP_E_INVALID_ARGUMENT", 0, "databases.list")
        assert e.value.message.startswith(f"argument 'limit' ({type(value).__name__}) {why}")
    assert len(seen) == 3, "nothing refused was sent"


def test_settings_out_of_c_range_are_refused(recorder):
    # The C setters take int32 milliseconds and attempts: ctypes would wrap 2**32 + 1 to 1.
    for kwargs, why in [
        ({"timeout": 4294967.297}, "timeout must be a number of seconds, at most 2147483.647"),
        ({"timeout": float("nan")}, "timeout must be a number of seconds, at most 2147483.647"),
        ({"timeout": -1e10}, "timeout_ms must be greater than 0"),
        ({"max_attempts": 2**32 + 1}, "max_attempts must be from 1 to 20"),
        ({"max_attempts": 2, "retry_base_delay": 4294967.297}, "base_delay_ms must be from 0 to 60000"),
    ]:
        with pytest.raises(tp.Error) as e:
            tp.Client(**kwargs)
        assert (e.value.status_name, e.value.message) == ("TP_E_INVALID_ARGUMENT", why), kwargs
    for kwargs in ({"timeout": "5"}, {"timeout": True}, {"max_attempts": 2.5}):
        with pytest.raises(TypeError):
            tp.Client(**kwargs)


def test_threads_share_one_client(client):
    errors = []

    def work(i):
        name = f"py-thread-{i}"
        try:
            for _ in range(3):
                assert client.create_database(name, group="default")["Name"] == name
                assert client.call("databases.get", {"db": name}).data["database"]["Name"] == name
                client.delete_database(name)
        except Exception as e:  # collected, asserted below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not [d for d in client.list_databases() if d["Name"].startswith("py-thread-")]


def test_cancel_from_another_thread():
    # A server that accepts connections and never answers: only the cancel ends the call.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    url = "http://%s:%d" % listener.getsockname()
    cancel = tp.Cancel()
    timer = threading.Timer(0.2, cancel.trigger)
    try:
        with tp.Client(token="t", base_url=url, org="local", max_attempts=1) as c:
            timer.start()
            with pytest.raises(tp.Error) as e:
                c.call("databases.list", cancel=cancel)
        assert e.value.status_name == "TP_E_CANCELLED"
        assert cancel.triggered
        cancel.reset()
        assert not cancel.triggered
    finally:
        timer.cancel()
        listener.close()


def test_default_retry_settings_are_the_headers():
    header = os.path.join(os.path.dirname(__file__), "..", "..", "..", "include", "turso_platform.h")
    with open(header) as f:
        defines = dict(re.findall(r"#define (TP_DEFAULT_\w+) (\d+)", f.read()))
    assert int(defines["TP_DEFAULT_MAX_ATTEMPTS"]) == tp.DEFAULT_MAX_ATTEMPTS
    assert int(defines["TP_DEFAULT_RETRY_BASE_DELAY_MS"]) == round(tp.DEFAULT_RETRY_BASE_DELAY * 1000)


@pytest.fixture
def rate_limiter():
    """A server that answers every request 429 (no Retry-After) and records when it came."""
    times = []
    with answering(429, b'{"error":"no"}', lambda handler: times.append(time.monotonic())) as url:
        yield url, times


def test_one_retry_setting_keeps_the_default_of_the_other(rate_limiter):
    url, times = rate_limiter
    # max_attempts alone: the default base delay (200 ms, jittered down to no less than half),
    # not none at all.
    with tp.Client(token="t", base_url=url, org="o", max_attempts=2) as c:
        with pytest.raises(tp.Error) as e:
            c.call("databases.list")
    assert e.value.status_name == "TP_E_RATE_LIMITED"
    assert len(times) == 2 and times[1] - times[0] >= tp.DEFAULT_RETRY_BASE_DELAY / 2
    # retry_base_delay alone: the default number of attempts, not a setting ignored.
    times.clear()
    with tp.Client(token="t", base_url=url, org="o", retry_base_delay=0.001) as c:
        with pytest.raises(tp.Error) as e:
            c.call("databases.list")
    assert e.value.status_name == "TP_E_RATE_LIMITED"
    assert len(times) == tp.DEFAULT_MAX_ATTEMPTS


def test_close_refuses_calls_while_it_waits():
    # A server that accepts connections and never answers: a call runs until cancelled.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    url = "http://%s:%d" % listener.getsockname()
    cancel = tp.Cancel()
    c = tp.Client(token="t", base_url=url, org="o", max_attempts=1)
    running = threading.Thread(target=lambda: pytest.raises(tp.Error, c.call, "databases.list", cancel=cancel))
    closing = threading.Thread(target=c.close)
    try:
        running.start()
        while c._calls == 0:  # the call has begun
            time.sleep(0.001)
        closing.start()
        while not c._closing:  # close() has begun and waits for it
            time.sleep(0.001)
        # Other threads' calls do not start, so they cannot keep close() waiting.
        with pytest.raises(tp.Error) as e:
            c.call("databases.list")
        assert (e.value.status_name, e.value.message) == ("TP_E_INVALID_ARGUMENT", "the client is closed")
        assert closing.is_alive()
    finally:
        cancel.trigger()
        running.join()
        closing.join()
        listener.close()


def test_helpers_refuse_answers_without_their_fields(recorder):
    client, _ = recorder  # answers {}
    for helper, args, op in [(client.create_database, ("d",), "databases.create"),
                             (client.create_database_token, ("d",), "databases.create_token"),
                             (client.list_databases, (), "databases.list")]:
        with pytest.raises(tp.Error) as e:
            helper(*args)
        assert (e.value.status_name, e.value.op) == ("TP_E_BAD_RESPONSE", op)
