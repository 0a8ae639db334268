#!/usr/bin/env python3
"""Conformance of the client with Turso's own OpenAPI spec, served by Prism.

Starts `prism mock` on a free port with a copy of openapi.json that requires bearer auth, derives
one valid call for every operation of api/operations.tsv seen in the spec (arguments from the
spec: path parameter examples or simple valid names, bodies from the request schemas and their
examples), and runs the C program `conformance_client` with them. Operations listed in
docs/conformance.md as failing for a reason in the spec are run but not asserted.

usage: run_conformance.py --prism BIN --shared DIR --root REPO --client BIN
"""
import argparse
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

PLACEHOLDER = re.compile(r"\{([^}]+)\}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Spec:
    def __init__(self, doc):
        self.doc = doc

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def sample(self, schema):
        """A valid value for `schema`: its example, else one built from its type."""
        schema = self.resolve(schema)
        if "example" in schema:
            return schema["example"]
        if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"]:
            return schema["examples"][0]
        if "default" in schema:
            return schema["default"]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("oneOf", "anyOf", "allOf"):
            if key in schema:
                return self.sample(schema[key][0])
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self.sample_object(schema, must_fill=False)
        if kind == "array":
            return [self.sample(schema.get("items", {"type": "string"}))]
        if kind == "integer":
            return max(1, schema.get("minimum", 1))
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        if schema.get("format") == "email":
            return "someone@example.com"
        return "example"

    def sample_object(self, schema, must_fill):
        """Required properties and those the spec gives an example for; if that is nothing and a
        body is required, the first property."""
        schema = self.resolve(schema)
        props = schema.get("properties", {})
        chosen = [k for k in props if k in schema.get("required", []) or "example" in self.resolve(props[k])]
        if not chosen and must_fill and props:
            chosen = [next(iter(props))]
        return {k: self.sample(props[k]) for k in chosen if k in props}


def load_table(root):
    """Our operations table: id -> (method, path, query names, {wire: name} of body fields)."""
    ops = {}
    with open(os.path.join(root, "src", "operations.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    header = rows[0].split("\t")
    for line in rows[1:]:
        cells = dict(zip(header, line.split("\t")))
        split = lambda c: [] if c.strip() == "-" else [x.strip() for x in c.split(",")]
        body = {}
        for spec in split(cells["body"]):
            name, _, wire = spec.lstrip("@").partition(":")
            body[wire or name] = name
        ops[cells["id"]] = (cells["method"], cells["path"], split(cells["query"]), body)
    return ops


def excluded_ops(root):
    """Operation ids in the table of docs/conformance.md: rows starting with | `op.id` |."""
    path = os.path.join(root, "docs", "conformance.md")
    out = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\|\s*`([a-z_]+\.[a-z0-9_]+)`\s*\|(.*)\|", line)
                if m:
                    out[m.group(1)] = m.group(2).strip()
    return out


def find_spec_op(doc, method, path):
    norm = lambda p: PLACEHOLDER.sub("{}", p)
    for spec_path, item in doc["paths"].items():
        if norm(spec_path) == norm(path) and method.lower() in item:
            return spec_path, item, item[method.lower()]
    return None, None, None


def build_cases(shared, root):
    with open(os.path.join(shared, "api", "openapi.json"), encoding="utf-8") as f:
        doc = json.load(f)
    spec = Spec(doc)
    table = load_table(root)
    excluded = excluded_ops(root)
    cases, problems = [], []
    with open(os.path.join(shared, "api", "operations.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if "spec" not in row["seen_in"].split(","):
                continue
            op_id = row["id"]
            if op_id not in table:
                problems.append(f"{op_id}: not in src/operations.tsv")
                continue
            method, our_path, our_query, our_body = table[op_id]
            spec_path, item, op = find_spec_op(doc, method, our_path)
            if op is None:
                problems.append(f"{op_id}: {method} {our_path} not in openapi.json")
                continue
            params = {}
            declared = {}
            for p in item.get("parameters", []) + op.get("parameters", []):
                p = spec.resolve(p)
                declared[(p["in"], p["name"])] = p
            # Path parameters: ours and the spec's pair up by position.
            for ours, theirs in zip(PLACEHOLDER.findall(our_path), PLACEHOLDER.findall(spec_path)):
                p = declared.get(("path", theirs), {"schema": {"type": "string"}})
                schema = spec.resolve(p.get("schema", {}))
                if "example" in p:
                    value = p["example"]
                elif "example" in schema or "enum" in schema:
                    value = spec.sample(schema)
                elif schema.get("format") == "email" or theirs == "email":
                    value = "someone@example.com"
                else:
                    value = "my-" + ours.replace("_", "-")
                params[ours] = str(value)
            for (where, name), p in declared.items():
                if where != "query" or not (p.get("required") or "example" in p):
                    continue
                if name not in our_query:
                    if p.get("required"):
                        problems.append(f"{op_id}: required query parameter {name} unknown to the table")
                    continue
                params[name] = p["example"] if "example" in p else spec.sample(p.get("schema", {}))
            body = op.get("requestBody")
            if body:
                body = spec.resolve(body)
                content = body.get("content", {}).get("application/json")
                if content:
                    schema = spec.resolve(content.get("schema", {}))
                    if "example" in content:
                        fields = content["example"]
                    elif "example" in schema:
                        fields = schema["example"]
                    else:
                        fields = spec.sample_object(schema, must_fill=body.get("required", False))
                    for wire, value in fields.items():
                        if wire in our_body:
                            params[our_body[wire]] = value
                        else:
                            problems.append(f"{op_id}: body field {wire} unknown to the table (not sent)")
            cases.append({"op": op_id, "params": params, "expect_fail": op_id in excluded,
                          "reason": excluded.get(op_id, "")})
    return doc, cases, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prism", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--client", required=True)
    args = ap.parse_args()
    if not os.access(args.prism, os.X_OK):
        print(f"prism not found at {args.prism} (run scripts/deps --test)", file=sys.stderr)
        return 1

    doc, cases, problems = build_cases(args.shared, args.root)
    for p in problems:
        print("note:", p)
    # An operation that could not be turned into a call is a failure, not a silent skip.
    fatal = [p for p in problems if "(not sent)" not in p]
    if fatal:
        print(f"{len(fatal)} spec operations could not be called", file=sys.stderr)
        return 1
    schemes = doc.get("components", {}).get("securitySchemes", {})
    bearer = [k for k, v in schemes.items() if v.get("type") == "http" and v.get("scheme") == "bearer"]
    if not bearer:
        print("openapi.json has no http bearer security scheme", file=sys.stderr)
        return 1
    doc["security"] = [{bearer[0]: []}]

    with tempfile.TemporaryDirectory(prefix="tp-conformance-") as tmp:
        spec_path = os.path.join(tmp, "openapi.json")
        cases_path = os.path.join(tmp, "cases.json")
        with open(spec_path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        with open(cases_path, "w", encoding="utf-8") as f:
            json.dump(cases, f, indent=1)
        port = free_port()
        log = open(os.path.join(tmp, "prism.log"), "w")
        prism = subprocess.Popen([args.prism, "mock", "-h", "127.0.0.1", "-p", str(port), spec_path],
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            if not wait_listening(port, prism):
                log.close()
                print(open(os.path.join(tmp, "prism.log")).read(), file=sys.stderr)
                print("prism did not start", file=sys.stderr)
                return 1
            rc = subprocess.call([args.client, f"http://127.0.0.1:{port}", cases_path])
        finally:
            os.killpg(prism.pid, signal.SIGTERM)
            try:
                prism.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(prism.pid, signal.SIGKILL)
                prism.wait()
            log.close()
        if rc != 0:
            with open(os.path.join(tmp, "prism.log"), encoding="utf-8", errors="replace") as f:
                tail = f.read()[-6000:]
            print("--- prism log (tail) ---\n" + tail)
        return rc


if __name__ == "__main__":
    sys.exit(main())
