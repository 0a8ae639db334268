"""Condenses a schemathesis run's output into one line per (operation, check) that failed, as
JSON in the shape server/spec-deviations.json can take, so that each can be fixed or declared.
usage: schemathesis_summary.py OUTPUT_TXT OPENAPI_JSON"""
import json
import re
import sys

CODES = {  # schemathesis 4.32 failure codes (`st explain`) -> check names
    "ST101": "not_a_server_error", "ST102": "not_a_server_error", "ST103": "status_code_conformance",
    "ST104": "content_type_conformance", "ST105": "content_type_conformance", "ST106": "content_type_conformance",
    "ST107": "response_headers_conformance", "ST108": "response_schema_conformance",
    "ST109": "response_schema_conformance", "ST110": "response_schema_conformance",
    "ST111": "response_schema_conformance", "ST112": "max_response_time", "ST201": "negative_data_rejection",
    "ST202": "positive_data_acceptance", "ST203": "missing_required_header", "ST204": "unsupported_method",
    "ST205": "allow_header_conformance", "ST301": "use_after_free", "ST302": "ensure_resource_availability",
    "ST401": "ignored_auth", "ST402": "object_level_authorization",
}

spec = json.load(open(sys.argv[2]))
op_ids = {}
for path, item in spec.get("paths", {}).items():
    for method, op in item.items():
        if isinstance(op, dict) and "operationId" in op:
            op_ids[(method.upper(), path)] = op["operationId"]

found = {}
codes = {}
current = None
pending = None  # an ST103 / declared_status_codes failure waiting for its "Received: N"
for line in open(sys.argv[1], errors="replace"):
    text = line.strip()
    # Headers are "____ GET /path ____", or without underscores when the path is long.
    m = re.match(r"^_* ?(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE|CONNECT) (/\S*) ?_*$", text)
    if m and line.startswith(("_", " ")) and not line.startswith("    "):
        current = (m.group(1), m.group(2))
        pending = None
        continue
    m = re.match(r"^- (ST\d+|[a-z_]+:?) ?(.*)$", text)
    if m and current:
        check = CODES.get(m.group(1), m.group(1).rstrip(":"))
        custom = re.search(r"Custom check failed: `(\w+)`", m.group(2))
        if custom:  # ST901: one of schemathesis_hooks.py's checks
            check = custom.group(1)
        key = (op_ids.get(current, "%s %s" % current), check)
        found.setdefault(key, m.group(2))
        pending = key if check in ("status_code_conformance", "declared_status_codes") else None
        continue
    m = re.match(r"^Received: (\d{3})$", text) or re.search(r"Undocumented status code (\d{3})", text)
    if m and pending:
        codes.setdefault(pending, set()).add(int(m.group(1)))
rows = []
for (op, check), why in sorted(found.items()):
    row = {"operationId": op, "check": check, "why": why}
    if (op, check) in codes:
        row["codes"] = sorted(codes[(op, check)])
    rows.append(row)
print(json.dumps(rows, indent=1))
