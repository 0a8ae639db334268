"""Condenses a schemathesis run's output into one line per (operation, check) that failed, as
JSON in the shape server/spec-deviations.json can take, so that each can be fixed or declared.
usage: schemathesis_summary.py OUTPUT_TXT OPENAPI_JSON"""
import json
import re
import sys

CODES = {  # schemathesis failure codes -> check names
    "ST101": "not_a_server_error", "ST102": "not_a_server_error", "ST103": "status_code_conformance",
    "ST104": "content_type_conformance", "ST105": "response_headers_conformance",
    "ST106": "response_schema_conformance", "ST107": "response_schema_conformance",
    "ST108": "response_schema_conformance", "ST201": "negative_data_rejection",
    "ST202": "positive_data_acceptance", "ST203": "missing_required_header",
    "ST204": "unsupported_method", "ST205": "allow_header_conformance", "ST301": "use_after_free",
    "ST302": "ensure_resource_availability", "ST303": "ignored_auth",
}

spec = json.load(open(sys.argv[2]))
op_ids = {}
for path, item in spec.get("paths", {}).items():
    for method, op in item.items():
        if isinstance(op, dict) and "operationId" in op:
            op_ids[(method.upper(), path)] = op["operationId"]

found = {}
current = None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^_+ ([A-Z]+) (/\S*) _+$", line.strip())
    if m:
        current = (m.group(1), m.group(2))
        continue
    m = re.match(r"^- (ST\d+) (.*)$", line.strip())
    if m and current:
        key = (op_ids.get(current, "%s %s" % current), CODES.get(m.group(1), m.group(1)))
        found.setdefault(key, m.group(2))
rows = [{"operationId": op, "check": check, "why": why} for (op, check), why in sorted(found.items())]
print(json.dumps(rows, indent=1))
