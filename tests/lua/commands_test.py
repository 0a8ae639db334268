"""The command layer (tursh db list, ...): JSON output parsed, exit codes, messages on stderr,
the platform token never printed. Usage: commands_test.py TURSH TURSO_LOCAL"""
import http.server
import json
import os
import subprocess
import sys
import threading
import unittest

from server import LocalServer

TURSH = TURSO_LOCAL = None

# What a hostile or broken server could send: terminal escapes (a title change, colours, a clear
# screen), BEL, C1 controls (U+009B is a one-character CSI), in names, keys and error texts.
EVIL = "\x1b]0;PWNED\x07\x1b[31m"
EVIL_ANSWERS = {
    "/v1/organizations/evil/databases": (200, {"databases": [
        {"Name": EVIL, "group": "g\u009b31m", "Hostname": "caf\u00e9-\u2713\u0085.example", "regions": ["ams\x1b[2J"]},
    ]}),
    "/v1/organizations/evil/databases/odd": (200, {"database": {"Name": "odd", "\x1b[31mkey": "v\x1b]0;T\x07",
                                                                "note": "caf\u00e9 \u2713", "tab": "a\tb\nc"}}),
    "/v1/organizations/evil/databases/missing": (404, {"error": "no database \x1b]0;PWNED\x07 here\u009b2J"}),
    "/v1/organizations/evil/databases/odd/auth/tokens": (200, {"jwt": "eyJ\x1b[31m.x.y"}),
    "/v1/organizations/evil/groups": (200, {"groups": [{"name": EVIL, "locations": ["ams"], "primary": "ams"}]}),
}


class EvilApi:
    """A stand-in for the service answering EVIL_ANSWERS, on 127.0.0.1:0."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                path = self.path.split("?")[0]
                status, body = EVIL_ANSWERS.get(path, (404, {"error": "no route " + path}))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def env(self):
        env = dict(os.environ)
        for name in ("TURSO_TOKEN", "TURSO_BASE_URL", "TURSO_CONFIG_FOLDER"):
            env.pop(name, None)
        env.update(TURSO_API_TOKEN="t", TURSO_API_BASEURL=self.url, TURSO_ORG="evil")
        return env

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Commands(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalServer(TURSO_LOCAL)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def tursh(self, *words, env=None):
        done = subprocess.run([TURSH, *words], env=env or self.server.env(), capture_output=True, text=True,
                              timeout=120)
        for stream in (done.stdout, done.stderr):
            self.assertNotIn(self.server.token, stream, "the platform token must never be printed")
        return done

    def json_of(self, *words):
        done = self.tursh(*words, "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def test_database_lifecycle(self):
        self.assertEqual(self.json_of("group", "create", "gc", "--location", "ams")["group"]["name"], "gc")
        created = self.json_of("db", "create", "dba", "--group", "gc")
        self.assertEqual(created["database"]["Name"], "dba")
        names = [d["Name"] for d in self.json_of("db", "list")["databases"]]
        self.assertIn("dba", names)
        shown = self.json_of("db", "show", "dba")
        self.assertEqual(shown["database"]["Name"], "dba")
        jwt = self.json_of("db", "tokens", "create", "dba", "--expiration", "1d", "--read-only")["jwt"]
        self.assertEqual(jwt.count("."), 2, "a JWT")
        plain = self.tursh("db", "tokens", "create", "dba")
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertEqual(plain.stdout.strip().count("."), 2, "the token alone on stdout")
        self.assertEqual(self.tursh("db", "tokens", "invalidate", "dba").returncode, 0)
        human = self.tursh("db", "list")
        self.assertEqual(human.returncode, 0)
        self.assertRegex(human.stdout, r"NAME\s+GROUP")
        self.assertRegex(human.stdout, r"\ndba\s+gc")
        self.assertNotIn("\x1b[", human.stdout, "no colour when stdout is not a terminal")
        self.assertEqual(self.json_of("db", "destroy", "dba", "--yes")["database"], "dba")
        self.assertNotIn("dba", [d["Name"] for d in self.json_of("db", "list")["databases"]])
        self.assertEqual(self.tursh("group", "destroy", "gc", "--yes").returncode, 0)

    def test_db_create_without_group_chooses_as_the_official_cli(self):
        # A server of its own: the choice depends on how many groups the organization has.
        with LocalServer(TURSO_LOCAL) as server:
            env = server.env()
            # No group yet and no --location: one clear line naming both ways out, nothing made.
            done = self.tursh("db", "create", "first", env=env)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn("no group yet", done.stderr)
            self.assertIn("--location", done.stderr)
            self.assertIn("--group", done.stderr)
            self.assertEqual(done.stdout, "")
            self.assertEqual(json.loads(self.tursh("group", "list", "--json", env=env).stdout)["groups"], [])
            # No group yet, --location given: group "default" is made there first.
            done = self.tursh("db", "create", "first", "--location", "fra", "--json", env=env)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(json.loads(done.stdout)["database"]["Name"], "first", "stdout stays JSON")
            self.assertIn("Created group default in fra", done.stderr)
            groups = json.loads(self.tursh("group", "list", "--json", env=env).stdout)["groups"]
            self.assertEqual([(g["name"], g["locations"]) for g in groups], [("default", ["fra"])])
            # One group: it is used.
            done = self.tursh("db", "create", "second", env=env)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("in group default", done.stdout)
            # Several groups: the caller chooses.
            self.assertEqual(self.tursh("group", "create", "other", "--location", "ams", env=env).returncode, 0)
            done = self.tursh("db", "create", "third", env=env)
            self.assertEqual(done.returncode, 2)
            self.assertIn("2 groups (default, other): choose one with --group", done.stderr)
            done = self.tursh("db", "create", "third", "--group", "other", env=env)
            self.assertEqual(done.returncode, 0, done.stderr)
            dbs = {d["Name"]: d["group"] for d in json.loads(self.tursh("db", "list", "--json", env=env).stdout)["databases"]}
            self.assertEqual(dbs, {"first": "default", "second": "default", "third": "other"})
            # A group named but missing: the API's answer, in one line.
            done = self.tursh("db", "create", "fourth", "--group", "nope", env=env)
            self.assertEqual(done.returncode, 1)
            self.assertRegex(done.stderr, r"^tursh: databases.create: .*\(HTTP 4\d\d\)\n$")

    def test_groups(self):
        self.json_of("group", "create", "gg", "--location", "ams")
        groups = self.json_of("group", "list")["groups"]
        self.assertIn("gg", [g["name"] for g in groups])
        self.assertEqual(self.json_of("group", "tokens", "create", "gg")["jwt"].count("."), 2)
        human = self.tursh("group", "list")
        self.assertRegex(human.stdout, r"\ngg\s+ams")
        self.json_of("group", "destroy", "gg", "--yes")

    def test_org_auth_locations(self):
        orgs = self.json_of("org", "list")
        orgs = orgs["organizations"] if isinstance(orgs, dict) else orgs
        self.assertIn("local", [o["slug"] for o in orgs])
        members = self.json_of("org", "members", "list")["members"]
        self.assertTrue(any(m["username"] == "local" for m in members))
        minted = self.json_of("auth", "api-tokens", "mint", "ci-token")
        self.assertTrue(minted["token"], "a minted token is printed: that is the point")
        self.assertIn("ci-token", [t["name"] for t in self.json_of("auth", "api-tokens", "list")["tokens"]])
        revoked = self.tursh("auth", "api-tokens", "revoke", "ci-token")
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        self.assertNotIn("ci-token", [t["name"] for t in self.json_of("auth", "api-tokens", "list")["tokens"]])
        locations = self.json_of("locations")["locations"]
        self.assertIn("ams", locations)
        human = self.tursh("locations")
        self.assertRegex(human.stdout, r"\nams\s+\S")

    def test_usage_errors_exit_2_in_one_line(self):
        for words, fragment in [
            (["db"], "unknown command"),
            (["db", "frobnicate"], "unknown command 'db frobnicate'; did you mean: tursh db list"),
            (["db", "show"], "db show: missing NAME; usage: tursh db show NAME"),
            (["db", "show", "a", "b"], "unexpected argument 'b'"),
            (["db", "destroy", "x"], "--yes"),
            (["db", "list", "--bogus"], "unknown option --bogus"),
            (["db", "create", "x", "--group"], "--group needs a value"),
            (["group", "create", "x"], "--location is required"),
            # What the module raises for the user's input (here: not UTF-8, empty) is usage too.
            (["db", "list", "--org", "a\udcff"], "turso.client: org is not valid UTF-8"),
            (["db", "show", "a\udcff"], "databases.get: argument 'db' is not valid UTF-8"),
            (["db", "show", ""], "databases.get: parameter 'db' must not be empty"),
            (["group", "create", "g\udcff", "--location", "ams"], "groups.create: argument 'name' is not valid UTF-8"),
            (["db", "tokens", "create", "\udcff"], "databases.create_token: argument 'db' is not valid UTF-8"),
        ]:
            done = self.tursh(*words)
            self.assertEqual(done.returncode, 2, (words, done.stderr))
            self.assertIn(fragment, done.stderr, words)
            self.assertEqual(len(done.stderr.splitlines()), 1, (words, done.stderr))
            self.assertRegex(done.stderr, r"^tursh: ", words)
            self.assertNotIn("traceback", done.stderr, words)
            self.assertEqual(done.stdout, "", words)
        # An environment the module refuses: one line too, naming the variable and why, never
        # the value.
        for name, value, why in [
            ("TURSO_ORG", "a\nb", "TURSO_ORG contains a control character (such as CR or LF)"),
            ("TURSO_API_BASEURL", "localhost:8080",
             "TURSO_API_BASEURL: the URL must start with http:// or https:// and a host"),
            ("TURSO_API_BASEURL", "http://user:s3cret@127.0.0.1:1",
             "TURSO_API_BASEURL: the URL must not contain a user name or password (user@host)"),
            ("TURSO_API_TOKEN", "s3cret\r\nX-Injected: 1",
             "TURSO_API_TOKEN contains a control character (such as CR or LF)"),
        ]:
            env = self.server.env()
            env[name] = value
            done = self.tursh("db", "list", env=env)
            self.assertEqual(done.returncode, 2, (name, done.stderr))
            self.assertEqual(done.stderr, "tursh: turso.client: " + why + " (tursh --help)\n", name)
            self.assertEqual(done.stdout, "", name)
            self.assertNotIn("s3cret", done.stderr)

    def test_server_text_never_reaches_the_terminal_raw(self):
        api = EvilApi()
        self.addCleanup(api.stop)
        env = api.env()
        raw = ("\x1b", "\x07", "\u009b", "\u0085")

        def run(*words, code=0):
            done = subprocess.run([TURSH, *words], env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, code, (words, done.stderr))
            for stream in (done.stdout, done.stderr):
                for byte in raw:
                    self.assertNotIn(byte, stream, (words, stream))
            return done

        listed = run("db", "list").stdout
        self.assertIn("\\x1B]0;PWNED\\x07\\x1B[31m", listed, "the name, escaped")
        self.assertIn("g\\u{9B}31m", listed, "a C1 control, escaped")
        self.assertIn("café-✓\\u{85}.example", listed, "UTF-8 kept, C1 escaped")
        self.assertIn("ams\\x1B[2J", listed)
        shown = run("db", "show", "odd").stdout
        self.assertIn("\\x1B[31mkey", shown, "a record's key")
        self.assertIn("v\\x1B]0;T\\x07", shown)
        self.assertIn("café ✓", shown)
        self.assertIn("a\\tb\\nc", shown, "one value, one line")
        self.assertIn("\\x1B]0;PWNED", run("group", "list").stdout)
        self.assertEqual(run("db", "tokens", "create", "odd").stdout, "eyJ\\x1B[31m.x.y\n")
        failed = run("db", "show", "missing", code=1).stderr
        # (The library already drops C0 controls from the service's error text; C1 is left to us.)
        self.assertRegex(failed, r"^tursh: databases.get: no database \S*0;PWNED\S* here\\u\{9B\}2J \(HTTP 404\)\n$")
        # --json stays JSON: C0 and DEL as json_encode escapes them, C1 as \u0080..\u009f.
        as_json = run("db", "list", "--json").stdout
        self.assertEqual(json.loads(as_json)["databases"][0]["Name"], EVIL)
        self.assertIn("\\u009b", as_json)
        # Errors raised in scripts and at the REPL, which may carry the server's text.
        done = run("-e", "local c = turso.client{} assert(c.databases.get{db = 'missing'})", code=1)
        self.assertIn("PWNED", done.stderr)
        self.assertIn("here\\u{9B}2J", done.stderr)

    def test_pretty_escape(self):
        code = r"""
local e = require("tursh.pretty").escape
local function check(got, want) if got ~= want then error(("%q ~= %q"):format(got, want)) end end
check(e("plain text"), "plain text")
check(e("caf\u{E9} \u{2713} \u{1F600}"), "caf\u{E9} \u{2713} \u{1F600}")
check(e("a\0b\1c\27d\127e"), "a\\x00b\\x01c\\x1Bd\\x7Fe")
check(e("l1\nl2\tx\r"), "l1\\nl2\\tx\\r")
check(e("l1\nl2\tx\r", true), "l1\nl2\tx\\r")
check(e("\u{80}\u{9B}\u{9F}\u{A0}"), "\\u{80}\\u{9B}\\u{9F}\u{A0}")
check(e("\x9b\xff\xc2"), "\\x9B\\xFF\\xC2")
check(e("\xe0\x80\x80\xed\xa0\x80"), "\\xE0\\x80\\x80\\xED\\xA0\\x80")
check(e(42), "42")
print("escaped")
"""
        done = subprocess.run([TURSH, "-e", code], capture_output=True, text=True, timeout=60)
        self.assertEqual((done.returncode, done.stdout), (0, "escaped\n"), done.stderr)

    def test_api_errors_exit_1_in_one_line(self):
        done = self.tursh("db", "show", "nope")
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stdout, "")
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
        self.assertRegex(done.stderr, r"^tursh: databases.get: .*\(HTTP 404\)")
        done = self.tursh("db", "destroy", "nope", "--yes", "--json")
        self.assertEqual(done.returncode, 1)
        env = self.server.env()
        env["TURSO_API_TOKEN"] = "wrong"
        done = self.tursh("db", "list", env=env)
        self.assertEqual(done.returncode, 1)
        self.assertIn("HTTP 401", done.stderr)

    def test_help(self):
        done = self.tursh("db", "create", "--help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("usage: tursh db create NAME", done.stdout)

    def test_with_local(self):
        # --local combines with commands: a fresh embedded server each time.
        env = self.server.env()
        done = subprocess.run([TURSH, "--local", "group", "create", "lg", "--location", "ams", "--json"],
                              env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["group"]["name"], "lg")
        done = subprocess.run([TURSH, "--local", "--json", "db", "list"], env=env, capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["databases"], [])


if __name__ == "__main__":
    TURSH, TURSO_LOCAL = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)  # extra arguments pick tests
