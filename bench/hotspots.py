"""Where one page's time goes: cProfile over repeated in-process GETs, on the data `make bench` left.

    .venv/bin/python bench/hotspots.py /network/members/                  # as the member, PostgreSQL
    .venv/bin/python bench/hotspots.py /exemplars/ --visitor --engine sqlite -n 50

Run `make bench` (or bench/run.py --keep-data) once first: this reuses its database, production settings
and Redis cache, so the profile is of the request the benchmark measures, minus gunicorn and the network.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from run import ENGINES, MEMBER_EMAIL, REDIS, redis_answers, site_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--engine", default="postgres", choices=ENGINES)
    parser.add_argument("--visitor", action="store_true", help="signed out (default: the demo member)")
    parser.add_argument("-n", type=int, default=30, help="profiled requests (default 30)")
    parser.add_argument("--top", type=int, default=35, help="rows per table (default 35)")
    parser.add_argument("--callers", metavar="FUNCTION", help="also show who calls functions matching this")
    parser.add_argument("--database", metavar="URL", help="another copy of the bench data (default: the engine's)")
    args = parser.parse_args()

    os.environ.update(site_environment(ENGINES[args.engine], 8100, REDIS if redis_answers() else "locmemcache://"))
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_HOST="127.0.0.1")
    if not args.visitor:
        client.force_login(get_user_model().objects.get(email=MEMBER_EMAIL))
    for _ in range(3):  # warm the caches and the template loader, as a steady worker is
        status = client.get(args.path, secure=True).status_code
    if status != 200:
        raise SystemExit(f"{args.path} answered {status}")
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    for _ in range(args.n):
        client.get(args.path, secure=True)
    profiler.disable()
    per_request = (time.process_time() - started) / args.n * 1000
    print(f"{args.path} as the {'visitor' if args.visitor else 'member'}: {per_request:.1f} ms CPU per request")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    if args.callers:
        stats.sort_stats("cumulative").print_callers(args.callers)


if __name__ == "__main__":
    main()
