"""The quickstart tour, as the README runs it: tursh --local examples/lua/quickstart.lua exits 0
and says what it did. Usage: quickstart_test.py TURSH QUICKSTART"""
import subprocess
import sys
import tempfile

tursh, quickstart = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    done = subprocess.run([tursh, "--local", quickstart], capture_output=True, text=True, timeout=300, cwd=tmp)
print(done.stdout)
print(done.stderr, file=sys.stderr)
if done.returncode != 0:
    sys.exit(f"quickstart exited with {done.returncode}")
for expected in ("group", "db-1", "db-2", "db-3", "token", "usage", "Cleaned up"):
    if expected not in done.stdout:
        sys.exit(f"quickstart output lacks {expected!r}")
