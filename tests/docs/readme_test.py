"""The README's tours, run as written against a fresh turso-local: the C tour (compiled from the
README by readme_blocks.py) creates tenant-42, the Lua tour reads it back, fails to delete a
missing database and runs a batch, lua/README.md's example runs on a database db1, and every
tursh command of the README that needs no terminal exits 0 and does what its comment says.

Usage: readme_test.py TURSH TURSO_LOCAL README_TOUR_C README.md OPERATIONS_TSV
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lua"))
from readme_blocks import blocks, tursh_commands  # noqa: E402
from server import LocalServer  # noqa: E402

tursh, turso_local, tour_c, readme, table = sys.argv[1:6]
with open(readme, encoding="utf-8") as f:
    text = f.read()
with open(table, encoding="utf-8") as f:  # a header line, then one line per operation
    operation_count = sum(1 for line in f if line.strip() and not line.startswith("#")) - 1


def run(argv, env):
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


def fail(what, done=None):
    if done is not None:
        print(f"$ {' '.join(done.args)}\n--- stdout:\n{done.stdout}--- stderr:\n{done.stderr}")
    sys.exit(f"README: {what}")


def run_lua(source, env):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(source)
    try:
        return run([tursh, f.name], env)
    finally:
        os.unlink(f.name)


def post(server, path, body):
    request = urllib.request.Request(
        server.url + path, method="POST", data=json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + server.token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200, answer.status


def create_default_group(server):
    """The tours create databases in group "default", as an organization of the service has."""
    post(server, "/v1/organizations/local/groups", {"name": "default", "location": "ams"})


# The C tour, then the Lua tour on the database it made.
with LocalServer(turso_local) as server:
    create_default_group(server)
    env = server.env()
    done = run([tour_c], env)
    created = re.fullmatch(r"created (\S+)\n", done.stdout)
    if done.returncode != 0 or not created or done.stderr:
        fail("the C tour did not print 'created HOSTNAME' alone", done)
    hostname = created.group(1)
    if not hostname.startswith("tenant-42-"):
        fail(f"the C tour's database has the hostname {hostname!r}", done)

    # The Lua block, and after it what its last line left (its results are not printed).
    (lua,) = blocks(text, "Lua and tursh", "lua")
    lua += '\nprint(#results, failed, results[1].status, results[2].status)\n'
    done = run_lua(lua, env)
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != 3:
        fail("the Lua tour did not print three lines", done)
    if lines[0] != hostname:
        fail(f"the Lua tour read hostname {lines[0]!r}, the C tour made {hostname!r}", done)
    status, http_status, message = lines[1].split("\t")
    if (status, http_status) != ("TP_E_NOT_FOUND", "404") or "not found" not in message:
        fail(f"deleting a missing database printed {lines[1]!r}", done)
    # Databases a and b do not exist: both calls fail, in order, as values.
    if lines[2].split("\t") != ["2", "2", "TP_E_NOT_FOUND", "TP_E_NOT_FOUND"]:
        fail(f"the batch left {lines[2]!r}", done)

    # lua/README.md's example, on a database db1; then what it left.
    post(server, "/v1/organizations/local/databases", {"name": "db1", "group": "default"})
    with open(os.path.join(os.path.dirname(readme), "lua", "README.md"), encoding="utf-8") as f:
        lua = blocks(f.read(), None, "lua")[0]
    lua += ('\nprint(db.database.Name, v.groups[1].name, raw.locations.ams ~= nil, #results, failed,'
            ' results[1].database.Name)\n')
    done = run_lua(lua, env)
    if done.returncode != 0 or done.stdout.split("\t") != ["db1", "default", "true", "2", "0", "a\n"]:
        fail(f"lua/README.md's example left {done.stdout!r}", done)

# The tursh commands, in the README's order, on a server of their own (they create tenant-42 too).
with LocalServer(turso_local) as server:
    create_default_group(server)
    env = server.env()
    outputs = {}
    commands = [c for b in blocks(text, "Lua and tursh", "sh") for c in tursh_commands(b)]
    if len(commands) < 5:
        fail(f"only {len(commands)} tursh commands found")
    for words in commands:
        done = run([tursh] + words, env)
        if done.returncode != 0:
            fail(f"'tursh {' '.join(words)}' exited with {done.returncode}", done)
        outputs[" ".join(words[:3])] = done.stdout
    operations = outputs.get("-e print(#turso.operations())", "").strip()
    if operations != str(operation_count):
        fail(f"'#turso.operations()' printed {operations!r}, the table has {operation_count}")
    if json.loads(outputs["db list --json"]).get("databases") != []:
        fail("'db list --json' on a fresh server is not an empty list")
    if "tenant-42" not in outputs["db create tenant-42"]:
        fail("'db create tenant-42' does not name the database it made")
    if not re.search(r"\S{20,}", outputs["db tokens create"]):
        fail("'db tokens create' printed no token")
    if "default" not in outputs["group list"]:
        fail("'group list' does not show group default")
print(f"README: the C tour, the Lua tour and {len(commands)} tursh commands ran as written")
