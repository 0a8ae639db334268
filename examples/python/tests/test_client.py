import socket
import threading

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
    c.close()
    with pytest.raises(tp.Error) as e:
        c.list_databases()
    assert e.value.status_name == "TP_E_INVALID_ARGUMENT"
    c.close()  # twice is fine


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
