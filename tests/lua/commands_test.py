"""The command layer (tursh db list, ...): JSON output parsed, exit codes, messages on stderr,
the platform token never printed. Usage: commands_test.py TURSH TURSO_LOCAL"""
import json
import subprocess
import sys
import unittest

from server import LocalServer

TURSH = TURSO_LOCAL = None


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

    def test_usage_errors_exit_2(self):
        for words, fragment in [
            (["db"], "unknown command"),
            (["db", "frobnicate"], "unknown command"),
            (["db", "show"], "missing NAME"),
            (["db", "show", "a", "b"], "unexpected argument 'b'"),
            (["db", "destroy", "x"], "--yes"),
            (["db", "list", "--bogus"], "unknown option --bogus"),
            (["db", "create", "x", "--group"], "--group needs a value"),
            (["group", "create", "x"], "--location is required"),
        ]:
            done = self.tursh(*words)
            self.assertEqual(done.returncode, 2, words)
            self.assertIn(fragment, done.stderr, words)
            self.assertEqual(done.stdout, "", words)

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
