"""Writes the schemathesis.toml for schemathesis.sh from server/spec-deviations.json.

usage: schemathesis_config.py SPEC_DEVIATIONS_JSON ORG short|long > schemathesis.toml

Every deviation turso-local declares from openapi.json turns off the one check it breaks, for the
one operation it concerns; every other check stays on for every operation (schemathesis.sh runs
without --checks, which would override this file). not_a_server_error is never turned off: a 5xx is
always a failure. status_code_conformance is judged for every operation by schemathesis_hooks.py's
declared_status_codes instead of the built-in check (off here): a status_code_conformance deviation
must list its "codes", and any status neither documented, declared nor one of the hooks'
TRANSPORT_STATUSES (the HTTP layer's, such as 414) fails. Those transport statuses also count as
a rejection of invalid data and are allowed for valid data. An unsupported_method deviation lists the extra "methods" the
path serves (operations beyond the spec): those are not sent to it as unexpected methods, and the
check stays on for all others. An allow_header_conformance deviation lists them too: the built-in
check is off for that operation and declared_methods checks Allow against spec plus declared. Path parameters named organizationSlug get ORG, so that generated
requests reach real resources.

Shapes read from spec-deviations.json (a missing file means no deviation):
  [{"operationId": "listOrganizations", "check": "response_schema_conformance", "why": "..."}, ...]
  {"deviations": [ ...the same... ]}      or      {"listOrganizations": ["check", ...], ...}
"operation"/"operation_id" may stand for "operationId", "checks" (a list) for "check". Every entry
names one operation: an entry without one, or with "*", is refused (no blanket deviations).
schemathesis_summary.py prints a failed run in this shape.
"""
import json
import os
import sys

from schemathesis.config._checks import (NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
                                         POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from schemathesis_hooks import TRANSPORT_STATUSES  # noqa: E402

NEVER_OFF = {"not_a_server_error"}
# schemathesis' default phases.coverage.unexpected-methods (config/_phases.py).
UNEXPECTED_METHODS = ["get", "put", "post", "delete", "options", "patch", "trace", "query"]


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
    extra_methods = {}
    errors = []
    for e in entries(doc):
        if not isinstance(e, dict):
            continue
        op = e.get("operationId") or e.get("operation_id") or e.get("operation")
        checks = checks_of(e)
        if op in (None, "", "*", "all"):
            errors.append("entry without a single operation: %s" % json.dumps(e))
            continue
        if not checks:
            errors.append("entry without a check: %s" % json.dumps(e))
        if NEVER_OFF & set(checks):
            errors.append("%s cannot be a deviation (%s)" % (", ".join(sorted(NEVER_OFF)), op))
        if "status_code_conformance" in checks and not e.get("codes"):
            errors.append("%s: a status_code_conformance deviation must list its codes" % op)
        for c in ("unsupported_method", "allow_header_conformance"):
            if c in checks and not e.get("methods"):
                errors.append("%s: a %s deviation must list its methods" % (op, c))
        if "unsupported_method" in checks:
            # Not turned off: the declared methods are simply not sent as "unexpected" ones.
            extra_methods.setdefault(op, set()).update(m.lower() for m in e.get("methods", []))
        by_op.setdefault(op, set()).update(c for c in checks if c not in NEVER_OFF and c != "unsupported_method")
    if errors:
        sys.exit("schemathesis_config.py: %s:\n  %s" % (path, "\n  ".join(errors)))
    out = []
    out.append('[parameters]')
    out.append('"path.organizationSlug" = %s' % toml_str(org))
    out.append('')
    transport = [str(code) for code in sorted(TRANSPORT_STATUSES)]
    out.append('[checks.status_code_conformance]')
    out.append('enabled = false  # declared_status_codes (schemathesis_hooks.py) judges every operation')
    out.append('[checks.negative_data_rejection]')
    out.append('expected-statuses = %s' % json.dumps(NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES + transport))
    out.append('[checks.positive_data_acceptance]')
    out.append('expected-statuses = %s' % json.dumps(POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES + transport))
    out.append('')
    for op in sorted(set(by_op) | set(extra_methods)):
        checks = by_op.get(op, set())
        if not checks and op not in extra_methods:
            continue
        out.append('[[operations]]')
        out.append('include-operation-id = %s' % toml_str(op))
        for c in sorted(checks):
            out.append('checks.%s.enabled = false' % c)
        if op in extra_methods:
            methods = [m for m in UNEXPECTED_METHODS if m not in extra_methods[op]]
            out.append('phases.coverage.unexpected-methods = %s' % json.dumps(methods))
        out.append('')
    print("\n".join(out))
    print("# %d deviations read from %s (%s run)" % (len(entries(doc)), os.path.basename(path), mode), file=sys.stderr)


main()
