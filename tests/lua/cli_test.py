"""tursh as a program: options, scripts and their arg table, -e, stdin, errors and exit codes,
--local and --local-data. Usage: cli_test.py TURSH TURSO_LOCAL"""
import os
import subprocess
import sys
import tempfile
import unittest

from server import LocalServer

TURSH = TURSO_LOCAL = None


def run(*args, stdin=None, env=None, cwd=None):
    return subprocess.run([TURSH, *args], input=stdin, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


class Program(unittest.TestCase):
    def test_version_and_help(self):
        done = run("--version")
        self.assertEqual(done.returncode, 0)
        self.assertRegex(done.stdout, r"^tursh \d+\.\d+\.\d+ \(turso-platform \d+\.\d+\.\d+, Lua 5\.4")
        done = run("--help")
        self.assertEqual(done.returncode, 0)
        for word in ("--local", "--local-data", "--json", "-e", "db list", "auth api-tokens"):
            self.assertIn(word, done.stdout)

    def test_unknown_option_exits_2(self):
        done = run("--frobnicate")
        self.assertEqual(done.returncode, 2)
        self.assertIn("unknown option '--frobnicate'", done.stderr)
        self.assertEqual(run("-e").returncode, 2)

    def test_e_runs_code_in_order_with_the_module(self):
        done = run("-e", "x = 40", "-e", "print(x + 2, require('turso') == turso, turso.version ~= nil)")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "42\ttrue\ttrue\n")

    def test_script_gets_arg_table_and_varargs(self):
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "s.lua")
            with open(script, "w") as f:
                f.write("print(arg[0], arg[1], arg[2], #arg, select('#', ...), ...)\n"
                        "print(arg[-1] ~= nil)\n")
            done = run(script, "a", "b c")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stdout, f"{script}\ta\tb c\t2\t2\ta\tb c\ntrue\n")

    def test_script_error_exits_1_with_traceback(self):
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "bad.lua")
            with open(script, "w") as f:
                f.write("local function f() error('boom') end\nf()\n")
            done = run(script)
            self.assertEqual(done.returncode, 1)
            self.assertIn("bad.lua:1: boom", done.stderr)
            self.assertIn("stack traceback", done.stderr)
            done = run(os.path.join(tmp, "missing.lua"))
            self.assertEqual(done.returncode, 1)
            self.assertIn("cannot open", done.stderr)

    def test_stdin_is_a_script_when_not_a_terminal(self):
        done = run(stdin="print(1 + 1)\n")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "2\n")
        done = run("-", "x", stdin="print(...)\n")
        self.assertEqual(done.stdout, "x\n")

    def test_batch_progress_is_silent_when_stderr_is_not_a_terminal(self):
        code = ("local c = turso.client{} local calls = {} "
                "for i = 1, 20 do calls[i] = {'locations.list', {}} end "
                "local r, failed = c:batch(calls) print(#r, failed)")
        done = run("--local", "-e", code)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "20\t0\n")
        self.assertEqual(done.stderr, "", "no progress bar on a pipe")

    def test_local_sets_the_environment(self):
        code = ("local c = turso.client{} print(os.getenv('TURSO_ORG'), c:org(), "
                "c:base_url():match('^http://127%.0%.0%.1:%d+$') ~= nil, "
                "#os.getenv('TURSO_API_TOKEN') > 20, assert(c.user.get{}) ~= nil)")
        done = run("--local", "-e", code)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "local\tlocal\ttrue\ttrue\ttrue\n")

    def test_local_data_keeps_state_in_a_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "state.db")
            create = ("local c = turso.client{} assert(c.groups.create{name='kept', location='ams'}) "
                      "assert(c.databases.create{name='persisted', group='kept'})")
            done = run("--local-data", data, "-e", create)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertTrue(os.path.exists(data))
            done = run("--local-data", data, "--json", "db", "list")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn('"persisted"', done.stdout)

    def test_against_a_server_from_the_environment(self):
        with LocalServer(TURSO_LOCAL) as server:
            done = run("-e", "print(assert(turso.client{}.locations.list{}).locations.ams ~= nil)",
                       env=server.env())
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stdout, "true\n")


if __name__ == "__main__":
    TURSH, TURSO_LOCAL = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)  # extra arguments pick tests
