#!/usr/bin/env python3
"""Creates a database, mints a token for it, lists the databases and deletes it, with settings
from TURSO_API_TOKEN, TURSO_API_BASEURL and TURSO_ORG.

    LD_LIBRARY_PATH=$PREFIX/lib python3 databases.py [NAME]
"""
import sys

import turso_platform as tp


def main() -> int:
    name = sys.argv[1] if len(sys.argv) > 1 else "example-python"
    try:
        return run(name)
    except tp.Error as e:  # one line saying what failed, not a traceback
        print(f"databases.py: {e}", file=sys.stderr)
        return 1


def run(name: str) -> int:
    with tp.Client.from_env() as client:
        print(f"libturso_platform {tp.version()}, base URL {client.base_url}, organization {client.org}")
        db = client.create_database(name, group="default")
        print(f"created: {db['Name']} (hostname {db['Hostname']})")
        jwt = client.create_database_token(name, expiration="1d", read_only=True)
        print(f"database token: {len(jwt)} characters")
        dbs = client.list_databases()
        print(f"databases: {len(dbs)}")
        for d in dbs:
            print(f"  - {d['Name']}")
        client.delete_database(name)
        print(f"deleted: {name}")
        try:
            client.delete_database(name)
        except tp.Error as e:
            if e.status_name != "TP_E_NOT_FOUND":
                raise
            print(f"deleting again: {e.status_name} (HTTP {e.http_status})")
            return 0
        print("deleting twice succeeded", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
