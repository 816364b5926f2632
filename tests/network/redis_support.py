import os
import socket

from tests.conftest import need


def redis_url_or_need() -> str:
    """The Redis the tests may use (REDIS_URL, a database of its own); skip or, in CI, fail without one."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        need(False, f"no Redis server at {url}")
    return url
