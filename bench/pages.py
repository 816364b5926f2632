"""Time the pages whose cost grows with the data: the member directory, a profile, the exemplar catalogue.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py seed_demo
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py seed_bench --members 5000 --exemplars 600
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/pages.py

Prints the median and 95th percentile of 30 requests per page, and the query count of one request.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from network.models import Profile  # noqa: E402

PAGES = [
    "/network/members/",
    "/network/members/?q=trust&region=london",
    "/network/members/?page=40",
    "/exemplars/",
    "/exemplars/?theme=community-capacity&region=london&q=health",
]
RUNS = 30


def _counted_get(client: Client, url: str) -> tuple[int, int]:
    """Counted with a wrapper: the request_started signal empties connection.queries."""
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        status = client.get(url).status_code
    return status, len(queries)


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(Profile.objects.members().first().user)
    profile_url = Profile.objects.members().last().get_absolute_url()
    print(f"{Profile.objects.members().count()} members")
    for url in [*PAGES, profile_url]:
        client.get(url)  # warm caches
        status, query_count = _counted_get(client, url)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[18]
        print(
            f"{url:<60} {status} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  {query_count} queries"
        )


if __name__ == "__main__":
    main()
