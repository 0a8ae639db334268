#!/usr/bin/env python3
"""Prism (Stoplight, pinned in tools/npm) as a validating proxy in front of turso-local:
`prism proxy --errors openapi.json <turso-local>`. Every operation of the API's operations.tsv
seen in the spec is called through the proxy, plus the error answers the spec documents (404,
409, 400). Prism 5.14.2 checks each answer against openapi.json: it lists what does not match
in the `sl-violations` response header (a JSON array of {location, severity, code, message}),
and with --errors it replaces an answer that has a violation of severity Error by a 500
application/problem+json. Any violation not listed in server/spec-deviations.json fails.

usage: prism_proxy_test.py TURSO_LOCAL PRISM API_DIR SPEC_DEVIATIONS_JSON
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tl_harness import Api, Server, new_token, quote  # noqa: E402

PLACEHOLDER = re.compile(r"\{([^}]+)\}")
# schemathesis checks about the answer itself: deviations from them may cover Prism's violations.
ANSWER_CHECKS = ("response_schema_conformance", "content_type_conformance", "response_headers_conformance")


def spec_operation(spec, method, path):
    """The openapi operation whose path template matches ours (placeholder names differ)."""
    shape = PLACEHOLDER.sub("{}", path)
    for p, ops in spec["paths"].items():
        if PLACEHOLDER.sub("{}", p) == shape and method.lower() in ops:
            return ops[method.lower()]
    raise AssertionError(f"{method} {path} is marked spec but is not in openapi.json")


def deref(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


class Fixture:
    """Makes, directly on turso-local (not through the proxy), what an operation's path names."""

    def __init__(self, api, admin_api, spec):
        self.api, self.admin, self.spec = api, admin_api, spec
        self.n = 0

    def fresh(self, prefix):
        self.n += 1
        return f"{prefix}-{self.n}"

    def org(self):
        name = self.fresh("porg")
        self.api.ok("POST", "/v1/organizations", {"name": name})
        return name

    def group(self, org):
        name = self.fresh("pgrp")
        self.api.ok("POST", f"/v1/organizations/{org}/groups", {"name": name, "location": "ams"})
        return name

    def user(self):
        name = self.fresh("puser")
        self.admin.ok("POST", "/admin/users", {"name": name, "token": new_token()})
        return name

    def email_of(self, username):
        users = self.admin.ok("GET", "/admin/users")["users"]
        return next(u["email"] for u in users if u["username"] == username)

    def resolve(self, method, path):
        """Values for each {placeholder} of path: fresh resources; a POST whose path ends in a
        placeholder gets a value not yet used, a DELETE there one made first by that POST."""
        names = PLACEHOLDER.findall(path)
        last = names[-1] if names and path.endswith("}") else None
        v = {}
        if "org" in names:
            v["org"] = self.org()
        if "group" in names or "db" in names:
            v["group"] = self.group(v["org"])
        if "db" in names:
            v["db"] = self.fresh("pdb")
            self.api.ok("POST", f"/v1/organizations/{v['org']}/databases", {"name": v["db"], "group": v["group"]})
        if "instance" in names:
            inst = self.api.ok("GET", f"/v1/organizations/{v['org']}/databases/{v['db']}/instances")["instances"]
            v["instance"] = inst[0]["name"]
        if "username" in names:
            v["username"] = self.user()
            self.api.ok("POST", f"/v1/organizations/{v['org']}/members", {"username": v["username"], "role": "member"})
        if "email" in names:
            v["email"] = self.fresh("pmail") + "@example.com"
            self.api.ok("POST", f"/v2/organizations/{v['org']}/invites", {"email": v["email"], "role": "member"})
        if "token_id" in names:
            t = self.api.ok("POST", f"/v1/auth/api-tokens/{self.fresh('porgtok')}", {"organization": v["org"]})
            v["token_id"] = t["id"]
        if "location" in names:
            v["location"] = "lhr" if last == "location" and method != "GET" else "ams"
        if "token_name" in names:
            v["token_name"] = self.fresh("ptok")
        if last in ("location", "token_name") and method == "DELETE":
            self.api.ok("POST", fill(path, v))
        return v

    def body(self, op, values):
        """A request body from the spec's schema: required properties, and the ones that name
        what the call is about, with values by property name."""
        rb = deref(self.spec, op.get("requestBody"))
        if not rb:
            return None
        schema = deref(self.spec, rb["content"]["application/json"]["schema"])
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        if not rb.get("required") and not required:
            return None  # an optional body (tokens.create): the plain call
        want = {"name", "location", "group", "role", "organization", "email", "username", "delete_protection",
                "overages"}
        # An invite names its person by e-mail (the spec takes email or username, not both).
        if "email" in props:
            want.discard("username")
        keys = required | (want & set(props))
        out = {}
        for key in sorted(keys):
            if key == "name":
                out[key] = self.fresh("pnew")
            elif key == "location":
                out[key] = "ams"
            elif key == "group":
                out[key] = values.get("group") or self.group(values["org"])
            elif key == "role":
                out[key] = "member"
            elif key == "organization":
                out[key] = self.org()
            elif key == "email":
                if "email" in props:
                    out[key] = self.fresh("pmail") + "@example.com"
            elif key == "username":
                out[key] = self.user()
            elif key in ("delete_protection", "overages"):
                out[key] = False
            else:
                raise AssertionError(f"no value for required body property {key!r}")
        if "email" in keys and "email" not in props:
            # members.add: the spec requires "email" though it is not one of its properties (a
            # spec bug); send the added user's e-mail so that the request is valid for Prism.
            out["email"] = self.email_of(out["username"])
        return out


def fill(path, values):
    return PLACEHOLDER.sub(lambda m: quote(values[m.group(1)]), path)


def load_deviations(path):
    """server/spec-deviations.json: what turso-local knowingly answers unlike the spec. No file
    means no deviation is claimed, so every violation fails."""
    if not os.path.exists(path):
        print(f"note: {path} does not exist: no deviations allowed")
        return {"deviations": []}
    with open(path) as f:
        return json.load(f)


def allowed(deviations, names, violation):
    """Whether a Prism violation is one of the listed deviations. An entry names its operation
    (our id, the spec's operationId, or "METHOD /path") and may narrow the violations it covers
    by a regular expression on Prism's location ("response.body.0.name") or message."""
    where = ".".join(str(x) for x in violation.get("location", []))
    entries = deviations.get("deviations", []) if isinstance(deviations, dict) else deviations
    for d in entries:
        ops = d.get("operations") or [d.get(k) for k in ("operation", "operationId", "id", "route") if d.get(k)]
        loc, msg = d.get("prism_location") or d.get("location"), d.get("prism_message") or d.get("message")
        # "*" entries name no operation: they count for Prism only where they say which violation.
        if "*" in ops and not (loc or msg):
            continue
        # Entries about what a request may be or which status it gets (negative_data_rejection,
        # status_code_conformance, ...) say nothing about the answers Prism checks, unless they
        # say which violation they cover.
        if d.get("check") not in (None, *ANSWER_CHECKS) and not (loc or msg):
            continue
        if ops and "*" not in ops and not set(ops) & names:
            continue
        if loc and not re.fullmatch(loc, where):
            continue
        if msg and not re.search(msg, violation.get("message", "")):
            continue
        return True
    return False


def start_prism(prism, spec_path, upstream):
    proc = subprocess.Popen([prism, "proxy", "--errors", "-h", "127.0.0.1", "-p", "0", spec_path, upstream],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    log = []
    for line in proc.stdout:
        log.append(line)
        m = re.search(r"Prism is listening on (http://[0-9.]+:[0-9]+)", line)
        if m:
            # Keep draining its log so that it never blocks on a full pipe.
            threading.Thread(target=lambda: [log.append(x) for x in proc.stdout], daemon=True).start()
            return proc, m.group(1), log
    raise RuntimeError("prism did not start:\n" + "".join(log[-20:]))


def main(binary, prism, api_dir, deviations_path):
    spec_path = os.path.join(api_dir, "openapi.json")
    with open(spec_path) as f:
        spec = json.load(f)
    with open(os.path.join(api_dir, "operations.tsv")) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if "spec" in r["seen_in"].split(",")]
    deviations = load_deviations(deviations_path)

    tmp = tempfile.mkdtemp(prefix="tl-prism-")
    data = os.path.join(tmp, "turso-local.db")
    token, admin_token = new_token(), new_token()
    srv = Server(binary, data, token, ["--admin-token", admin_token])
    proc = None
    failures, checked = [], 0
    try:
        proc, proxy_url, log = start_prism(prism, spec_path, srv.url)
        direct, admin = Api(srv.url, token), Api(srv.url, admin_token)
        proxy = Api(proxy_url, token)
        fx = Fixture(direct, admin, spec)

        by_id = {r["id"]: r for r in rows}

        def check(case, method, path, body, want):
            nonlocal checked
            status, value, raw = proxy.call(method, path, body)
            header = proxy.last_headers.get("sl-violations")
            try:
                violations = json.loads(header[header.index("["):]) if header else []
            except ValueError:  # "Too many violations! <cut JSON>": none of it is allowed
                violations = [{"location": ["response"], "message": header[:500]}]
            row = by_id[case.split(" ")[0]]
            names = {row["id"], spec_operation(spec, row["method"], row["path"]).get("operationId"),
                     f"{row['method']} {row['path']}"}
            bad = [v for v in violations if not allowed(deviations, names, v)]
            op_id = case
            # With --errors Prism answers a violation with a 500 of its own instead of the
            # server's answer: for a listed deviation that is the expected outcome.
            replaced = status == 500 and "VIOLATIONS" in raw
            if bad:
                failures.append(f"{op_id}: {method} {path} -> {status}: violations {json.dumps(bad)}")
            elif not want(status) and not (violations and replaced):
                failures.append(f"{op_id}: {method} {path} body {json.dumps(body)} -> unexpected {status}: {raw[:300]}")
            checked += 1
            return status, value

        def attempt(what, fn):
            """Runs one case; a failure to set it up is recorded and the others still run."""
            try:
                fn()
            except (AssertionError, KeyError) as e:
                failures.append(f"{what}: setup failed: {e}")

        # Every spec operation, successfully.
        for r in rows:
            def one(r=r):
                op = spec_operation(spec, r["method"], r["path"])
                values = fx.resolve(r["method"], r["path"])
                body = fx.body(op, values)
                check(r["id"], r["method"], fill(r["path"], values), body, lambda s: 200 <= s < 300)
            attempt(r["id"], one)

        # The error answers the spec documents: each must match its schema too.
        for r in rows:
            op = spec_operation(spec, r["method"], r["path"])
            names = [n for n in PLACEHOLDER.findall(r["path"]) if n not in ("org", "location")]
            if "404" not in op.get("responses", {}) or not names:
                continue

            def missing(r=r, op=op, names=names):
                values = fx.resolve(r["method"], r["path"])
                values[names[-1]] = fx.fresh("missing") + ("@example.com" if names[-1] == "email" else "")
                check(r["id"] + " (404)", r["method"], fill(r["path"], values), fx.body(op, values),
                      lambda s: s == 404)
            attempt(r["id"] + " (404)", missing)
        attempt("conflicts and bad input", lambda: conflicts(fx, check))
        for c in (direct, admin, proxy):
            c.close()
    finally:
        if proc:
            proc.terminate()
            proc.wait()
        srv.stop()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)

    print(f"{checked} calls through Prism, {len(rows)} spec operations")
    if failures:
        print(f"{len(failures)} answers not as the spec says:\n  " + "\n  ".join(failures))
        return 1
    return 0


def conflicts(fx, check):
    """409 and 400 answers the spec documents, through the proxy."""
    org = fx.org()
    group = fx.group(org)
    check("databases.create (409)", "POST", f"/v1/organizations/{org}/databases",
          {"name": "dup", "group": group}, lambda s: s == 200)
    check("databases.create (409)", "POST", f"/v1/organizations/{org}/databases",
          {"name": "dup", "group": group}, lambda s: s == 409)
    check("databases.create (400)", "POST", f"/v1/organizations/{org}/databases",
          {"name": "Not_Valid", "group": group}, lambda s: s == 400)
    check("groups.create (409)", "POST", f"/v1/organizations/{org}/groups",
          {"name": group, "location": "ams"}, lambda s: s == 409)
    check("databases.create_token (400)", "POST",
          f"/v1/organizations/{org}/databases/dup/auth/tokens?expiration=soon", {}, lambda s: s == 400)
    user = fx.user()
    member = {"username": user, "role": "member", "email": fx.email_of(user)}
    check("members.add (409)", "POST", f"/v1/organizations/{org}/members", member, lambda s: s == 200)
    check("members.add (409)", "POST", f"/v1/organizations/{org}/members", member, lambda s: s == 409)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
