"""Count the queries one GET of each page makes, and the writes among them, in-process.

Run by bench/run.py with the site's production environment (the bench database) and a JSON list of
[path, audience] on stdin; prints {"path audience": {"queries": n, "repeated": n, "writes": [sql, ...]}}.
Each page is requested once to warm the caches, then counted on a second request, as a steady visitor sees it.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def count(client: Client, path: str) -> dict:
    """The request_started signal empties connection.queries, so statements are caught with a wrapper."""
    statements: list[tuple[str, str]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, repr(params)))
        return execute(sql, params, many, context)

    client.get(path, secure=True)
    with connection.execute_wrapper(capture):
        status = client.get(path, secure=True).status_code
    writes = [sql for sql, _ in statements if sql.lstrip().upper().startswith(WRITES)]
    return {
        "status": status,
        "queries": len(statements),
        "repeated": len(statements) - len(set(statements)),
        "writes": writes,
    }


def main() -> None:
    member_email, pages = json.load(sys.stdin)
    clients = {"visitor": Client(REMOTE_ADDR="203.0.113.7"), "member": Client(REMOTE_ADDR="203.0.113.7")}
    clients["member"].force_login(get_user_model().objects.get(email=member_email))
    print(json.dumps({f"{path} {audience}": count(clients[audience], path) for path, audience in pages}))


if __name__ == "__main__":
    main()
