"""tursh as a program: options, scripts and their arg table, -e, stdin, errors and exit codes,
--local and --local-data. Usage: cli_test.py TURSH TURSO_LOCAL"""
import os
import shutil
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

    def test_arg_as_lua_makes_it(self):
        # Every index of `arg` and the chunk's varargs, as stock lua5.4 gives them (but arg's
        # lowest index, the interpreter itself), for options before the script, none, "--" and stdin.
        lua = shutil.which("lua5.4")
        if not lua:
            self.skipTest("no lua5.4 to compare with")
        dump = ("local lo = 0 while arg[lo - 1] ~= nil do lo = lo - 1 end "
                "local parts = {} for i = lo + 1, #arg do parts[#parts + 1] = i .. '=' .. tostring(arg[i]) end "
                "print(table.concat(parts, ' '), 'n=' .. select('#', ...), ...)\n")
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "dump.lua")
            with open(script, "w") as f:
                f.write(dump)
            for args, stdin in [(["-e", "y=1", script, "a", "b c", ""], None), ([script], None),
                                (["--", script, "x"], None), (["-", "p", "-q"], dump),
                                (["-e", "print(arg[0] ~= nil, #arg, arg[1], arg[2])"], None)]:
                want = subprocess.run([lua, *args], input=stdin, capture_output=True, text=True, timeout=60)
                got = run(*args, stdin=stdin)
                self.assertEqual(got.returncode, 0, got.stderr)
                self.assertEqual(got.stdout, want.stdout, args)

    def test_turso_loads_on_first_use_only(self):
        # The client library (libcurl and its libraries) is in tursh-core.so, loaded when `turso`
        # is first used or required: code that never uses it does not pay for loading it.
        maps = ("local function loaded() local f = assert(io.open('/proc/self/maps')) "
                "local m = f:read('a') f:close() return m:find('tursh-core.so', 1, true) ~= nil end ")
        done = run("-e", maps + "print(loaded()) local v = turso.version print(loaded(), v ~= nil)")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "false\ntrue\ttrue\n")
        done = run("-e", maps + "local t = require 'turso' print(loaded(), t == turso, turso.null == t.null)")
        self.assertEqual(done.stdout, "true\ttrue\ttrue\n", done.stderr)
        # Without its modules, tursh still runs Lua, and says what is missing when asked for more.
        with tempfile.TemporaryDirectory() as tmp:
            alone = os.path.join(tmp, "tursh")
            shutil.copy(TURSH, alone)
            done = subprocess.run([alone, "-e", "print(1 + 1)"], capture_output=True, text=True, timeout=60)
            self.assertEqual((done.returncode, done.stdout), (0, "2\n"), done.stderr)
            done = subprocess.run([alone, "-e", "print(turso.version)"], capture_output=True, text=True,
                                  timeout=60)
            self.assertEqual(done.returncode, 1)
            self.assertIn("cannot load the turso module: tursh-core.so is neither in " + tmp, done.stderr)
            done = subprocess.run([alone, "--local", "-e", "print(1)"], capture_output=True, text=True,
                                  timeout=60)
            self.assertEqual(done.returncode, 1)
            self.assertIn("tursh-local.so", done.stderr)

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
