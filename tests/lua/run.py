"""Runs one Lua test program, optionally against a fresh turso-local.

run.py [--server TURSO_LOCAL] [--cpath DIR] [--preload LIBS] -- COMMAND...

--server   start turso-local on port 0 and export TURSO_API_TOKEN/BASEURL/ORG for COMMAND
--cpath    the folder of turso.so (LUA_CPATH), for stock lua5.4
--preload  LD_PRELOAD for COMMAND only (the sanitizer runtimes, when stock lua5.4 loads an
           instrumented turso.so; leak checking is then off: lua5.4 itself is not instrumented)
LUA_PATH gets this folder, so test scripts find testlib.lua.
"""
import argparse
import os
import subprocess
import sys

from server import LocalServer

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server")
    parser.add_argument("--cpath")
    parser.add_argument("--preload", default="")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    env = dict(os.environ)
    env["LUA_PATH"] = os.path.join(HERE, "?.lua") + ";;"
    if args.cpath:
        env["LUA_CPATH"] = os.path.join(args.cpath, "?.so") + ";;"
    if args.preload.strip():
        env["LD_PRELOAD"] = args.preload.strip()
        env["ASAN_OPTIONS"] = "detect_leaks=0:" + env.get("ASAN_OPTIONS", "")
    if args.server:
        with LocalServer(args.server) as server:
            sys.exit(subprocess.call(command, env=server.env(env)))
    sys.exit(subprocess.call(command, env=env))


if __name__ == "__main__":
    main()
