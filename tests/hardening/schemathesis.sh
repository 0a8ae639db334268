#!/usr/bin/env bash
# schemathesis against turso-local: every operation of openapi.json, valid and invalid requests,
# with the bearer token. Fails on a 5xx, a crash, or an answer that breaks the spec beyond the
# deviations listed in server/spec-deviations.json.
# usage: schemathesis.sh TURSO_LOCAL OPENAPI_JSON VENV_DIR short|long [extra schemathesis args]
set -euo pipefail
server=$1 spec=$2 venv=$3 mode=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
req=$root/tools/python-requirements/schemathesis.txt
mkdir -p "$(dirname "$venv")"
venv=$(cd "$(dirname "$venv")" && pwd)/$(basename "$venv") # the run happens elsewhere (cd "$work")

# The venv, made once per build directory (and again when the pins change).
if [ ! -x "$venv/bin/schemathesis" ] || [ "$req" -nt "$venv/.installed" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  touch "$venv/.installed"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/schemathesis-XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

token=schemathesis-token-$RANDOM$RANDOM
"$server" --listen 127.0.0.1:0 --data :memory: --token "$token" --admin-token "admin-$RANDOM$RANDOM" \
  >"$work/server.log" 2>&1 &
pid=$!
url=
for _ in $(seq 1 400); do
  url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; echo "turso-local died"; exit 1; }
  sleep 0.05
done
[ -n "$url" ] || { echo "turso-local printed no URL"; exit 1; }

# A team organization of the bootstrap user, so that generated requests reach real resources
# (members and invites too: a personal organization has none). Its DELETE (organizations.delete,
# beyond the spec) is declared in spec-deviations.json, so schemathesis does not send it.
org=schemathesis-team
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"name\": \"$org\"}" \
  "$url/v1/organizations" >/dev/null || { echo "cannot create organization $org"; cat "$work/server.log"; exit 1; }

"$venv/bin/python" "$here/schemathesis_config.py" "$root/server/spec-deviations.json" "$org" "$mode" >"$work/schemathesis.toml"

if [ "$mode" = long ]; then
  limits=(--max-examples 200 --phases examples,coverage,fuzzing,stateful --max-time 1800)
else
  limits=(--max-examples 5 --phases ${SCHEMATHESIS_PHASES:-examples,coverage,fuzzing} --max-time ${SCHEMATHESIS_MAX_TIME:-45})
fi

# No --checks here: on the command line it would turn back on what the config file turns off.
# The hooks add declared_status_codes (see schemathesis_hooks.py).
export SCHEMATHESIS_HOOKS=$here/schemathesis_hooks.py TL_SPEC_DEVIATIONS=$root/server/spec-deviations.json
rm -f "$venv/../schemathesis-failures.json"
cd "$work"
set +e
"$venv/bin/schemathesis" --no-color --config-file "$work/schemathesis.toml" run "$spec" --url "$url" \
  -H "Authorization: Bearer $token" --mode all --seed 20261128 --workers 2 \
  --request-timeout 20 --output-truncate true "${limits[@]}" "$@" 2>&1 | sed "s/$token/<token>/g" >"$work/out.txt"
rc=${PIPESTATUS[0]}
set -e
cat "$work/out.txt"
if [ "$rc" -ne 0 ]; then
  # One line per (operation, check) that failed: fix it in turso-local or declare it, with why,
  # in server/spec-deviations.json.
  "$venv/bin/python" "$here/schemathesis_summary.py" "$work/out.txt" "$spec" >"$venv/../schemathesis-failures.json"
  echo "== failures by operation and check (also in $(cd "$venv/.." && pwd)/schemathesis-failures.json):"
  cat "$venv/../schemathesis-failures.json"
fi
if ! kill -0 "$pid" 2>/dev/null; then
  echo "FAIL: turso-local crashed during the run"; tail -n 50 "$work/server.log"; exit 1
fi
exit "$rc"
