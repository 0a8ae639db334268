#!/usr/bin/env python3
"""Crash test of turso-local: client processes burst database creates, the server is killed
with SIGKILL in the middle, restarted on the same data file; every create that was answered
2xx must be there, and every database there must be whole (its group, its primary instance,
its configuration, a token can be minted).

usage: crash_test.py TURSO_LOCAL_BINARY            (worker mode: --worker URL TOKEN ORG GROUP PREFIX)
"""
import http.client
import os
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tl_harness import Api, Server, new_token, quote  # noqa: E402

WORKERS = 4
CYCLES = 2
ACKS_BEFORE_KILL = 25  # per cycle, over all workers


def worker(url, token, org, group, prefix):
    """Creates databases until the server goes away; prints each name answered 2xx, at once."""
    api = Api(url, token)
    n = 0
    while True:
        name = f"{prefix}-{n}"
        n += 1
        try:
            status, _, raw = api.call("POST", f"/v1/organizations/{org}/databases", {"name": name, "group": group})
        except (OSError, http.client.HTTPException):  # the server was killed: done
            return 0
        if 200 <= status < 300:
            print(f"OK {name}", flush=True)
        else:
            print(f"ERR {name} {status} {raw}", flush=True)
            return 1


def check_whole(api, org, acked):
    """Every acknowledged create is there; every database there is complete."""
    listed = api.ok("GET", f"/v1/organizations/{org}/databases")["databases"]
    names = {d["Name"] for d in listed}
    lost = sorted(set(acked) - names)
    assert not lost, f"{len(lost)} databases answered 2xx are missing after the crash: {lost[:10]}"
    groups = {g["name"] for g in api.ok("GET", f"/v1/organizations/{org}/groups")["groups"]}
    for d in listed:
        name = d["Name"]
        db = api.ok("GET", f"/v1/organizations/{org}/databases/{quote(name)}")["database"]
        assert db["Name"] == name and db.get("DbId") and db.get("Hostname"), f"incomplete database: {db}"
        assert db.get("group") in groups, f"database {name} is in group {db.get('group')!r}, which does not exist"
        instances = api.ok("GET", f"/v1/organizations/{org}/databases/{quote(name)}/instances")["instances"]
        primaries = [i for i in instances if i.get("type") == "primary"]
        assert len(primaries) == 1, f"database {name} has {len(primaries)} primary instances: {instances}"
        api.ok("GET", f"/v1/organizations/{org}/databases/{quote(name)}/configuration")
        jwt = api.ok("POST", f"/v1/organizations/{org}/databases/{quote(name)}/auth/tokens", {})
        assert jwt.get("jwt"), f"no jwt minted for {name}: {jwt}"
    return len(listed)


def main(binary):
    tmp = tempfile.mkdtemp(prefix="tl-crash-")
    data = os.path.join(tmp, "turso-local.db")
    token = new_token()
    org, group = "local", "burst"
    acked = []
    srv = Server(binary, data, token)
    try:
        Api(srv.url, token).ok("POST", f"/v1/organizations/{org}/groups", {"name": group, "location": "ams"})
        for cycle in range(CYCLES):
            procs = [subprocess.Popen([sys.executable, __file__, "--worker", srv.url, token, org, group,
                                       f"c{cycle}w{w}"], stdout=subprocess.PIPE, text=True)
                     for w in range(WORKERS)]
            lines, lock, enough = [], threading.Lock(), threading.Event()

            def read(p):
                for line in p.stdout:
                    with lock:
                        lines.append(line.split())
                        if sum(1 for x in lines if x[0] == "OK") >= ACKS_BEFORE_KILL:
                            enough.set()
                enough.set()  # a worker ended early: do not wait forever

            readers = [threading.Thread(target=read, args=(p,)) for p in procs]
            for t in readers:
                t.start()
            enough.wait(timeout=60)
            srv.kill9()  # mid-burst: the workers are still sending
            for t in readers:
                t.join()
            codes = [p.wait() for p in procs]
            errors = [x for x in lines if x[0] != "OK"]
            assert not errors, f"creates refused before the crash: {errors[:5]}"
            assert codes == [0] * WORKERS, f"worker exit codes {codes}"
            cycle_acked = [x[1] for x in lines if x[0] == "OK"]
            assert len(cycle_acked) >= ACKS_BEFORE_KILL, f"only {len(cycle_acked)} creates before the kill"
            acked += cycle_acked

            srv = Server(binary, data, token)
            api = Api(srv.url, token)
            count = check_whole(api, org, acked)
            # The server takes writes again, and the names survive as taken.
            status, _, raw = api.call("POST", f"/v1/organizations/{org}/databases", {"name": acked[0], "group": group})
            assert status == 409, f"re-creating {acked[0]} after restart: {status} {raw}"
            api.ok("POST", f"/v1/organizations/{org}/databases", {"name": f"after-crash-{cycle}", "group": group})
            api.close()
            print(f"cycle {cycle}: {len(cycle_acked)} creates acknowledged, {count} databases whole after restart")
        srv.stop()  # SIGTERM: a clean exit (status 0) after all that
    finally:
        if srv.proc.poll() is None:
            srv.kill9()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        sys.exit(worker(*sys.argv[2:7]))
    sys.exit(main(sys.argv[1]))
