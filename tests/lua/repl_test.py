"""The REPL through a real pseudo-terminal: completion, multi-line input, expressions, Ctrl-C
cancelling a slow request (turso-local's latency fault), Ctrl-C at the prompt, Ctrl-D, the
history file, pretty printing and the progress bar. Usage: repl_test.py TURSH TURSO_LOCAL

Waits have generous limits only so that a broken build fails instead of hanging; no assertion
is about time."""
import os
import pty
import re
import select
import signal
import sys
import tempfile
import termios
import time
import unittest

from server import LocalServer

TURSH = TURSO_LOCAL = None
WAIT = int(os.environ.get("REPL_WAIT", "60"))  # seconds before a missing output counts as a failure


class Term:
    def __init__(self, args, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(TURSH, [TURSH, *args], env)
        self.buffer = ""
        self.status = None

    def send(self, text):
        os.write(self.fd, text.encode())

    def expect(self, pattern, what=None):
        """Reads until `pattern` (a regex) matches; returns the text up to and including it."""
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.buffer)
            if match:
                seen, self.buffer = self.buffer[:match.end()], self.buffer[match.end():]
                return seen
            ready, _, _ = select.select([self.fd], [], [], WAIT)
            if not ready:
                raise AssertionError(f"no {what or pattern!r} in terminal output: {self.buffer!r}")
            try:
                chunk = os.read(self.fd, 65536).decode(errors="replace")
            except OSError:
                chunk = ""
            if not chunk:
                raise AssertionError(f"tursh ended before {what or pattern!r}: {self.buffer!r}")
            self.buffer += chunk

    def editing(self):
        """Waits until libedit has the terminal (canonical mode off). libedit prints its prompt
        before it switches the terminal over: keys sent in between are taken by the kernel's
        line discipline (a Ctrl-D there reaches libedit as a NUL, not as the end of input)."""
        deadline = time.monotonic() + WAIT
        while termios.tcgetattr(self.fd)[3] & termios.ICANON:
            if time.monotonic() > deadline:
                raise AssertionError(f"the terminal never left canonical mode: {self.buffer!r}")
            time.sleep(0.005)

    def prompt(self, pattern=r"(?m)^> $|\n> $|> $", what="the prompt"):
        seen = self.expect(pattern, what)
        self.editing()
        return seen

    def more(self):
        return self.prompt(r">> $", "the continuation prompt")

    def wait_exit(self):
        deadline = time.monotonic() + WAIT
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"tursh did not exit: {self.buffer!r}")
            try:  # keep the terminal drained so that tursh never blocks writing to it
                if select.select([self.fd], [], [], 0.05)[0]:
                    self.buffer += os.read(self.fd, 65536).decode(errors="replace")
            except OSError:
                time.sleep(0.05)
        self.status = os.waitstatus_to_exitcode(status)
        os.close(self.fd)
        return self.status

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait_exit()


class Repl(unittest.TestCase):
    def setUp(self):
        self.server = LocalServer(TURSO_LOCAL)
        self.home = tempfile.TemporaryDirectory()
        self.env = self.server.env()
        self.env.update(HOME=self.home.name, TERM="xterm")
        self.env.pop("NO_COLOR", None)
        self.term = None

    def tearDown(self):
        if self.term:
            self.term.close()
        self.server.stop()
        self.home.cleanup()

    def start(self, *args):
        self.term = Term(list(args), self.env)
        self.term.expect("Ctrl-D exits", "the banner")
        self.term.prompt()
        return self.term

    def line(self, text):
        """Sends a line and returns what came back up to the next prompt."""
        self.term.send(text + "\r")
        return self.term.prompt()

    def test_expressions_print_and_statements_run(self):
        self.start()
        self.assertIn("2", self.line("1 + 1"))
        self.line("x = 20")
        self.assertIn("22", self.line("= x + 2"))
        self.assertIn("hello", self.line("'hello'"))
        self.assertIn("null", self.line("turso.null"))
        out = self.line("error('oops')")
        self.assertIn("oops", out)

    def test_multiline_input_continues_with_two_angles(self):
        t = self.start()
        t.send("function double(x)\r")
        t.more()
        t.send("return x * 2\r")
        t.more()
        t.send("end\r")
        t.prompt()
        self.assertIn("42", self.line("double(21)"))
        t.send("for i = 1, 3 do\r")
        t.more()
        t.send("io.write(i, ';')\r")
        t.more()
        out = self.line("end")
        self.assertIn("1;2;3;", out)

    def test_completion_of_namespaces_methods_and_arguments(self):
        # The terminal shows completions as cursor moves, so each completed line is run: its
        # result proves what the completion inserted.
        t = self.start()
        self.line("assert(c.user_groups.create{name = 'ug1', location = 'ams'})")
        t.send("c.user_gr\t")  # -> c.user_groups.
        out = self.line("list{}")
        self.assertIn("ug1", out)
        t.send("c.locations.li\t")  # -> c.locations.list
        out = self.line("{}")
        self.assertRegex(out, r"ams|Amsterdam")
        t.send("c.databases.get{d\t")  # -> c.databases.get{db=
        out = self.line("'nope'}")
        self.assertIn("databases.get", out)
        self.assertIn("HTTP 404", out)
        t.send("c:bat\t")  # -> c:batch (after ':' the word goes on: ':' is no word break)
        out = self.line("({}, {progress = false})")
        self.assertIn("0", out)
        t.send("c:ba\t\t")  # base_url and batch: the second Tab lists both
        listing = t.expect(r"batch", "the methods listed")
        self.assertIn("base_url", listing)
        t.send("\x15\r")
        t.prompt()
        t.send("c.databases.get\t\t")  # two candidates: both listed
        listing = t.expect(r"get_config", "the candidates listed")
        self.assertIn("c.databases.get ", listing)
        t.send("\x15\r")
        t.prompt()

    def test_ctrl_c_cancels_a_slow_request_and_returns_to_the_prompt(self):
        self.server.admin("/admin/faults", {"method": "GET", "path": "/v1/locations*", "kind": "latency",
                                            "latency_ms": 3 * WAIT * 1000})
        t = self.start()
        self.line("v = turso.client{verbose = true}")
        t.send("r = v.locations.list{}\r")
        t.expect(r"-> GET \S*/v1/locations", "the request being sent")
        t.send("\x03")
        out = t.prompt()
        self.assertIn("interrupted!", out)
        # The shell is still alive and usable; the slow route is not asked again.
        self.assertIn("7", self.line("3 + 4"))
        self.assertIn("nil", self.line("r"))

    def test_utf8_input_in_a_utf8_locale(self):
        self.env.update(LC_ALL="C.UTF-8")
        self.start()
        out = self.line("s = 'héllo→' print(#s, s)")
        self.assertIn("9\théllo→", out)

    def test_ctrl_c_at_the_prompt_abandons_the_line(self):
        t = self.start()
        t.send("this is not lua")
        t.send("\x03")
        t.prompt()
        self.assertIn("5", self.line("2 + 3"))
        t.send("if true then\r")
        t.more()
        t.send("\x03")
        t.prompt()
        self.assertIn("9", self.line("4 + 5"))

    def test_ctrl_d_exits_and_history_is_written(self):
        t = self.start()
        self.line("history_marker = 12345")
        t.send("\x04")
        self.assertEqual(t.wait_exit(), 0)
        history = os.path.join(self.home.name, ".tursh_history")
        self.assertTrue(os.path.exists(history), "history file written")
        with open(history, encoding="utf-8", errors="replace") as f:
            text = f.read()
        # libedit escapes spaces as \040 in its history file.
        self.assertIn("history_marker", text)
        self.assertIn("12345", text)
        # The next session reads it: Up arrow brings the line back.
        t = self.start()
        t.send("\x1b[A")
        t.expect("history_marker", "the recalled line")
        t.send("\x15\x04")
        self.assertEqual(t.wait_exit(), 0)
        self.term = None

    def test_lines_carrying_a_token_stay_out_of_the_history(self):
        t = self.start()
        secret = "SECRET-" + "x" * 20
        jwt = "eyJhbGciOiJFZERTQSJ9.eyJhIjoiYiJ9.c2lnbmF0dXJl"
        kept = "kept_marker = 1"
        for line in (
            kept,
            f'k = turso.client{{token="{secret}1"}}',
            f"k = turso.client{{ TOKEN = '{secret}2' }}",
            f"opts = {{api_token = [[{secret}3]]}}",
            f'opts = {{["token"] = "{secret}4"}}',
            f'settings = {{token: "{secret}5"}}',  # not Lua, still not kept
            f'j = "{jwt}"',
            f'e = "{self.env["TURSO_API_TOKEN"]}"',
            "kept_too = tokens == nil and token_name ~= 'x'",
        ):
            self.line(line)
        t.send("function f()\r")  # a chunk of several lines is judged whole
        t.more()
        t.send(f'return {{token = "{secret}6"}}\r')
        t.more()
        self.line("end")
        t.send("\x1b[A")  # Up: the line before the chunk that was skipped
        t.expect("kept_too", "the last kept line recalled")
        t.send("\x15\x04")
        self.assertEqual(t.wait_exit(), 0)
        self.term = None
        with open(os.path.join(self.home.name, ".tursh_history"), encoding="utf-8", errors="replace") as f:
            text = f.read()
        self.assertIn("kept_marker", text)
        self.assertIn("kept_too", text)
        self.assertNotIn("SECRET-", text)
        self.assertNotIn("eyJ", text)
        self.assertNotIn(self.env["TURSO_API_TOKEN"], text)

    def test_records_print_as_columns_and_colour_on_a_terminal(self):
        t = self.start()
        self.line("assert(c.groups.create{name='pg', location='ams'})")
        self.line("for i = 1, 3 do assert(c.databases.create{name='col'..i, group='pg'}) end")
        out = self.line("c.databases.list{}")
        self.assertIn("\x1b[1m", out, "a bold header on a terminal")
        plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out)
        self.assertRegex(plain, r"Name\s+.*Hostname|NAME\s+")
        for name in ("col1", "col2", "col3"):
            self.assertRegex(plain, r"(?m)^" + name + r"\s")

    def test_batches_draw_a_progress_bar_on_a_terminal(self):
        t = self.start()
        t.send("calls = {} for i = 1, 30 do calls[i] = {'locations.list', {}} end "
               "r, failed = c:batch(calls) print('failed', failed)\r")
        out = t.prompt()
        self.assertRegex(out, r"30/30")
        self.assertIn("failed\t0", out)

    def test_json_mode_prints_results_as_json(self):
        t = self.start("--json")
        out = self.line("{b = 1, a = {true, turso.null}}")
        self.assertIn('"a": [', out)
        self.assertIn("null", out)
        self.assertIn('"b": 1', out)


if __name__ == "__main__":
    TURSH, TURSO_LOCAL = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)  # extra arguments pick tests
