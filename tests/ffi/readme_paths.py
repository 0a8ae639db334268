#!/usr/bin/env python3
"""Checks the shell blocks of examples/*/README.md: each is run from its example's directory
(the README says so), so every file a command names there (a script or source file, or anything
reached through "../") must exist relative to that directory. rust/README.md once pointed at
tests/ffi/with_server.py from examples/rust.

    readme_paths.py SOURCE_DIR
"""
import pathlib
import re
import shlex
import sys

SOURCE_SUFFIXES = (".py", ".sh", ".lua", ".c", ".h", ".rs", ".go", ".toml", ".txt")


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    bad, checked = [], 0
    for readme in sorted(root.glob("examples/*/README*")):
        here = readme.parent
        for block in re.findall(r"```sh\n(.*?)```", readme.read_text(), re.S):
            for line in block.splitlines():
                command = line.split(" #", 1)[0].strip()
                for word in shlex.split(command, comments=True) if command else []:
                    word = word.split("=", 1)[1] if re.match(r"^[A-Z_]+=", word) else word
                    if "$" in word or word.startswith("path/to/") or "://" in word:
                        continue
                    if word.startswith("../") or word.endswith(SOURCE_SUFFIXES):
                        checked += 1
                        if not (here / word).exists():
                            bad.append(f"{readme.relative_to(root)}: {word!r} does not exist in {here.relative_to(root)}")
    for b in bad:
        print(b, file=sys.stderr)
    print(f"readme_paths: {checked} paths checked, {len(bad)} missing")
    # Today: databases.py and with_server.py. Fewer means the blocks changed shape unread.
    return 1 if bad or checked < 2 else 0


if __name__ == "__main__":
    sys.exit(main())
