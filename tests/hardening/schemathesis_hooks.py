"""schemathesis hooks for schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

Two checks that stand in for built-in ones, so that a deviation declared in
server/spec-deviations.json covers what it names and nothing more.

- declared_status_codes replaces the built-in status_code_conformance for every operation
  (schemathesis_config.py turns that one off): an answer must have a status the spec documents,
  one declared for the operation ({"operationId": ..., "check": "status_code_conformance",
  "codes": [...]}), or one of TRANSPORT_STATUSES, which the HTTP layer gives any request.
- declared_methods, for {"operationId": ..., "check": "allow_header_conformance", "methods": [...]}:
  the path also serves these methods (operations beyond the spec), so OPTIONS' Allow must list
  exactly the spec's methods plus the declared ones (HEAD and OPTIONS aside). schemathesis_config.py
  turns the built-in check off for the declared operation only; this one judges only those.

(unsupported_method deviations need no stand-in: schemathesis_config.py keeps their methods out
of the unexpected methods sent to the operation, and the built-in check judges the rest.)

The deviations file is named by the environment variable TL_SPEC_DEVIATIONS.
"""
import json
import os

import schemathesis


def _declared(check, key, convert):
    path = os.environ.get("TL_SPEC_DEVIATIONS", "")
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        doc = json.load(f)
    entries = doc.get("deviations", []) if isinstance(doc, dict) else doc
    out = {}
    for e in entries:
        if not isinstance(e, dict) or e.get("check") != check:
            continue
        out.setdefault(e.get("operationId"), set()).update(convert(c) for c in e.get(key, []))
    return out


DECLARED = _declared("status_code_conformance", "codes", int)
# Answers of the HTTP layer rather than of an operation, so any request may get them whatever the
# spec documents (schemathesis_config.py adds them to the statuses that reject or accept data too).
# 414: cpp-httplib reads request lines of at most 8,192 bytes; the fuzzing phase now and then
# builds a longer query string.
TRANSPORT_STATUSES = {414}
EXTRA_METHODS = _declared("allow_header_conformance", "methods", str.upper)
IMPLICIT = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}


def _documented(codes, status):
    for code in codes:
        code = str(code).upper()
        if code == "DEFAULT":
            return True
        if len(code) == 3 and all(c == "X" or c == s for c, s in zip(code, str(status))):
            return True
    return False


@schemathesis.check
def declared_status_codes(ctx, response, case):
    op_id = case.operation.definition.raw.get("operationId")
    if response.request.method.upper() != case.operation.method.upper():
        return None  # a request with another method: unsupported_method's business
    declared = DECLARED.get(op_id, set())
    documented = list(case.operation.definition.raw.get("responses", {}).keys())
    status = response.status_code
    if status in declared or status in TRANSPORT_STATUSES or _documented(documented, status):
        return None
    raise AssertionError(
        f"Undocumented status code {status} for {op_id}: documented {', '.join(documented)}, "
        f"declared in server/spec-deviations.json {', '.join(str(c) for c in sorted(declared)) or 'none'}"
    )


@schemathesis.check
def declared_methods(ctx, response, case):
    if response.request.method.upper() != "OPTIONS" or case.operation.method.upper() == "OPTIONS":
        return None  # only OPTIONS probes say what Allow lists
    op_id = case.operation.definition.raw.get("operationId")
    extra = EXTRA_METHODS.get(op_id)
    allow = response.headers.get("allow")
    if extra is None or not allow:
        return None  # not declared (the built-in check judges it), or no Allow to judge
    allow = ", ".join(allow) if isinstance(allow, list) else allow
    spec_methods = case.operation.schema.raw_schema["paths"][case.operation.path]
    declared = {m.upper() for m in spec_methods if m.upper() in HTTP_METHODS}
    advertised = {m.strip().upper() for m in allow.split(",") if m.strip()}
    if advertised - IMPLICIT != (declared | extra) - IMPLICIT:
        raise AssertionError(
            f"Allow: {allow} on {op_id}'s path: expected the spec's {', '.join(sorted(declared - IMPLICIT))} "
            f"plus the declared {', '.join(sorted(extra))}"
        )
    return None
