"""Writes the schemathesis.toml for schemathesis.sh from server/spec-deviations.json.

usage: schemathesis_config.py SPEC_DEVIATIONS_JSON ORG short|long > schemathesis.toml

Every deviation turso-local declares from openapi.json turns off the one check it breaks, for the
one operation it concerns; every other check stays on for every operation. not_a_server_error is
never turned off: a 5xx is always a failure. Path parameters named organizationSlug get the
bootstrap user's organization, so that generated requests reach real resources.

Shapes read from spec-deviations.json (a missing file means no deviation):
  [{"operationId": "listOrganizations", "check": "response_schema_conformance", "why": "..."}, ...]
  {"deviations": [ ...the same... ]}      or      {"listOrganizations": ["check", ...], ...}
"operation"/"operation_id" may stand for "operationId", "checks" (a list) for "check"; an
operationId of "*" turns the check off everywhere (e.g. unsupported_method: cpp-httplib answers
400 to TRACE before any route sees it). schemathesis_summary.py prints a failed run in this shape.
"""
import json
import os
import sys

NEVER_OFF = {"not_a_server_error"}


def entries(doc):
    if isinstance(doc, dict):
        for key in ("deviations", "operations", "entries"):
            if isinstance(doc.get(key), list):
                return doc[key]
        # {"operationId": {...} or [checks]}
        return [dict(v, operationId=k) if isinstance(v, dict) else {"operationId": k, "checks": v} for k, v in doc.items()
                if not k.startswith("$") and k not in ("comment", "description")]
    return doc if isinstance(doc, list) else []


def checks_of(e):
    c = e.get("checks", e.get("check", []))
    return [c] if isinstance(c, str) else list(c)


def toml_str(s):
    return json.dumps(s)


def main():
    path, org, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    doc = json.load(open(path)) if os.path.exists(path) else []
    by_op = {}
    global_off = set()
    for e in entries(doc):
        if not isinstance(e, dict):
            continue
        op = e.get("operationId") or e.get("operation_id") or e.get("operation")
        checks = [c for c in checks_of(e) if c not in NEVER_OFF]
        if op in (None, "*", "all"):
            global_off.update(checks)
        else:
            by_op.setdefault(op, set()).update(checks)
    out = []
    out.append('[parameters]')
    out.append('"path.organizationSlug" = %s' % toml_str(org))
    out.append('')
    out.append('[checks]')
    for c in sorted(global_off):
        out.append('%s.enabled = false' % c)
    out.append('')
    for op, checks in sorted(by_op.items()):
        if not checks:
            continue
        out.append('[[operations]]')
        out.append('include-operation-id = %s' % toml_str(op))
        for c in sorted(checks):
            out.append('checks.%s.enabled = false' % c)
        out.append('')
    print("\n".join(out))
    print("# %d deviations read from %s (%s run)" % (len(entries(doc)), os.path.basename(path), mode), file=sys.stderr)


main()
