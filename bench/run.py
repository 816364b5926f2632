"""The benchmark: every page against the floor, under gunicorn with production settings (`make bench`).

For each engine (SQLite, then PostgreSQL) it builds a fresh bench database (migrate, seed_demo, seed_bench),
serves the site and the floor (bench/floor/, the least a Django page can do) side by side with the same
gunicorn workers, signs in as the demo member, and runs wrk on the floor and then on every page in turn,
round after round, so each page is compared with the floor measured minutes apart on the same machine.
It counts each page's queries and database writes in-process, prints the table and writes docs/performance.md.

    .venv/bin/python bench/run.py                            # the full run: 3 rounds of 10 s per page
    .venv/bin/python bench/run.py --duration 3s --rounds 1   # a quick look
    .venv/bin/python bench/run.py --engines sqlite --keep-data
    .venv/bin/python bench/run.py --engines postgres --keep-data --pages forum --output /tmp/forum.md  # some rows

To add a page, add a line to PAGES.
"""

import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from report import SEED_BENCH, budget, print_table, write_report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
MEMBER_EMAIL = "member@example.org"  # the "member" account of cms.demo.DEMO_ACCOUNTS
CLIENT_ADDRESS = "203.0.113.7"  # X-Forwarded-For, as the HTTPS proxy in front of the site would add
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/9"  # bench-owned; flushed before each engine
MEMBER, VISITOR = "member", "visitor"
ANALYZE = "from django.db import connection; connection.cursor().execute('ANALYZE')"
PUBLIC, MEMBERS_ONLY = (MEMBER, VISITOR), (MEMBER,)  # a members-only page just redirects a visitor


@dataclass
class Site:
    """Where a page's path is found: `get` returns a page as the member sees it; `ask` runs Python in the
    site's Django shell (on the bench data) and returns the last line it prints."""

    get: Callable[[str], str]
    ask: Callable[[str], str]


def first_link(listing: str, pattern: str) -> Callable[[Site], str]:
    """A path found on another page, so the bench follows whatever the seeded data holds."""

    def find(site: Site) -> str:
        match = re.search(rf'href="({pattern})"', site.get(listing))
        if match is None:
            raise SystemExit(f"No link matching {pattern} on {listing}")
        return match.group(1)

    return find


def from_database(code: str) -> Callable[[Site], str]:
    """A path the data decides and no page links to in order, such as the post with the most comments."""

    def find(site: Site) -> str:
        path = site.ask(code)
        if not path.startswith("/"):
            raise SystemExit(f"Expected a path, got {path!r} from: {code}")
        return path

    return find


BUSIEST_THREAD = """
from network.forum.models import Thread
print(Thread.objects.order_by("-reply_count", "pk").first().get_absolute_url())
"""
BUSIEST_THREAD_LAST_PAGE = """
from network.forum.models import REPLIES_PER_PAGE, Thread
thread = Thread.objects.order_by("-reply_count", "pk").first()
print(f"{thread.get_absolute_url()}?page={(thread.reply_count - 1) // REPLIES_PER_PAGE + 1}")
"""
BUSIEST_FORUM_CATEGORY = """
from network.forum.models import Category
print(Category.objects.order_by("-thread_count", "pk").first().get_absolute_url())
"""
MOST_COMMENTED_POST = """
from network.blog.models import Post
print(Post.objects.published().order_by("-comment_count", "pk").first().get_absolute_url())
"""
BUSIEST_BLOG = """
from django.db.models import Count
from django.urls import reverse
from network.blog.models import Post
from network.models import Profile
author = Post.objects.published().values("author").annotate(n=Count("pk")).order_by("-n", "author")[0]["author"]
print(reverse("network:blog:member", kwargs={"handle": Profile.objects.get(user_id=author).handle}))
"""

ON_THE_BUSIEST_POST = """
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from network.blog.models import Post
from network.services import notifications
post = Post.objects.published().order_by("-comment_count", "pk").first()
member = get_user_model().objects.get(email="member@example.org")
"""
REPORT_FORM = (
    ON_THE_BUSIEST_POST
    + """
print(reverse("network:report", args=[ContentType.objects.get_for_model(Post).pk, post.pk]))
"""
)
UNSUBSCRIBE = (
    ON_THE_BUSIEST_POST
    + """
from network.models import Subscription
notifications.watch(member, post)
subscription = Subscription.objects.get(user=member, object_id=post.pk, content_type__model="post")
print(reverse("network:unsubscribe", args=[notifications.unsubscribe_token(subscription)]))
"""
)
A_TAG = (
    ON_THE_BUSIEST_POST
    + """
from django.db.models import Count
from taggit.models import Tag
tag = Tag.objects.annotate(n=Count("network_blog_posttag_items")).order_by("-n", "pk").first()
print(reverse("network:blog:tag", args=[tag.slug]))
"""
)
PRIVATE_FEED = """
import secrets
from django.urls import reverse
from network.models import Profile
profile = Profile.objects.get(user__email="member@example.org")
if not profile.feed_key:
    profile.feed_key = secrets.token_urlsafe(32)
    profile.save(update_fields=["feed_key"])
print(reverse("network:blog:private_feed", args=[profile.feed_key]))
"""
BUSIEST_VISIT = """
from visits.models import StudyVisit
print(StudyVisit.objects.upcoming().order_by("-capacity", "pk").first().get_absolute_url())
"""
MEMBER_CALENDAR = (
    PRIVATE_FEED.replace('"network:blog:private_feed"', '"visits:member_feed"').replace("print(", "url = (")
    + """
from visits.models import Booking, StudyVisit
for visit in StudyVisit.objects.upcoming().order_by("starts_at")[:8]:  # a member with eight places
    Booking.objects.get_or_create(visit=visit, member=profile.user, defaults={"status": "confirmed"})
print(url)
"""
)
NEW_THREAD_FORM = BUSIEST_FORUM_CATEGORY.replace("get_absolute_url()", "get_absolute_url() + 'new/'")
FORUM_FEED = (
    PRIVATE_FEED.replace('print(reverse("network:blog:private_feed", args=[profile.feed_key]))', "")
    + """
from network.forum.models import Thread
from network.services import notifications
for thread in Thread.objects.visible().order_by("-reply_count", "pk")[:30]:  # a full feed, as a keen member's
    notifications.watch(profile.user, thread)
print(reverse("network:forum:watched_feed", args=[profile.feed_key]))
"""
)
EDIT_A_REPLY = """
from django.urls import reverse
from network.forum.models import Reply
mine = Reply.objects.visible().filter(author__email="member@example.org", thread__hidden_at__isnull=True)
print(reverse("network:forum:reply_edit", args=[mine.order_by("-thread__reply_count", "pk").first().pk]))
"""


@dataclass
class Page:
    name: str
    path: str | Callable[[Site], str]
    audiences: tuple[str, ...] = PUBLIC


PAGES = [
    Page("home", "/"),
    Page("exemplar catalogue", "/exemplars/"),
    Page("catalogue, filtered and searched", "/exemplars/?theme=community-capacity&region=london&q=health"),
    Page(
        "an exemplar", first_link("/exemplars/", r"/exemplars/(?!feed/)[\w-]+/")
    ),  # the feed is linked first
    Page("exemplars feed", "/exemplars/feed/"),
    Page("site search", "/search/?q=time"),
    Page("network home", "/network/", MEMBERS_ONLY),
    Page("member directory", "/network/members/", MEMBERS_ONLY),
    Page("a profile", first_link("/network/members/", r"/network/members/[\w-]+/"), MEMBERS_ONLY),
    Page("blog", "/network/blog/"),
    Page("blog post, most comments", from_database(MOST_COMMENTED_POST)),  # seed_bench makes it public
    Page("blog category", first_link("/network/blog/", r"/network/blog/category/[\w-]+/")),
    Page("a member's blog, most posts", from_database(BUSIEST_BLOG)),
    Page("blog tag, most posts", from_database(A_TAG)),
    Page("blog month", first_link("/network/blog/", r"/network/blog/archive/\d+/\d+/")),
    Page("blog feed", "/network/blog/feed/"),
    Page("private feed, member's key", from_database(PRIVATE_FEED), (VISITOR,)),  # read by feed readers
    Page("write a post", "/network/blog/write/", MEMBERS_ONLY),
    Page("your posts", "/network/blog/mine/", MEMBERS_ONLY),
    Page("private feed settings", "/network/blog/feed/private/", MEMBERS_ONLY),
    Page("report a post", from_database(REPORT_FORM), MEMBERS_ONLY),
    Page("unsubscribe link", from_database(UNSUBSCRIBE), (VISITOR,)),  # opened from an email, signed out
    Page("forum", "/network/forum/", MEMBERS_ONLY),
    Page("forum category, most threads", from_database(BUSIEST_FORUM_CATEGORY), MEMBERS_ONLY),
    Page("forum thread, most replies", from_database(BUSIEST_THREAD), MEMBERS_ONLY),
    Page("forum thread, its last page", from_database(BUSIEST_THREAD_LAST_PAGE), MEMBERS_ONLY),
    Page("start a forum thread", from_database(NEW_THREAD_FORM), MEMBERS_ONLY),
    Page("forum feed, member's key", from_database(FORUM_FEED), (VISITOR,)),  # read by feed readers
    Page("edit a forum reply", from_database(EDIT_A_REPLY), MEMBERS_ONLY),
    Page("forum people lookup", "/network/forum/people/?q=be", MEMBERS_ONLY),  # the mention helper's
    Page("study visits", "/visits/"),
    Page("study visits, filtered", "/visits/?region=london&places=on"),
    Page("a study visit, 500 booked", from_database(BUSIEST_VISIT)),
    Page(
        "a study visit's .ics",
        from_database(BUSIEST_VISIT.replace("get_absolute_url()", "get_absolute_url() + 'calendar.ics'")),
    ),
    Page("past study visits", "/visits/past/"),
    Page("your study visit bookings", "/visits/bookings/", MEMBERS_ONLY),
    Page("study visits calendar feed", "/visits/calendar.ics", (VISITOR,)),  # read by calendar apps
    Page("my visits calendar, member's key", from_database(MEMBER_CALENDAR), (VISITOR,)),
]
FLOOR_PAGES = [Page("floor: 20 posts", "/", (VISITOR,)), Page("floor: ok", "/ok/", (VISITOR,))]


@dataclass
class Engine:
    name: str
    site_db: str
    floor_db: str


ENGINES = {
    "sqlite": Engine(
        "SQLite", f"sqlite:///{VAR / 'bench-sqlite.sqlite3'}", f"sqlite:///{VAR / 'bench-floor.sqlite3'}"
    ),
    "postgres": Engine("PostgreSQL", f"{POSTGRES}/coproduce_bench", f"{POSTGRES}/coproduce_bench_floor"),
}


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install wrk (Debian's package)")
    cache_url = REDIS if redis_answers() else "locmemcache://bench"
    if cache_url != REDIS:
        print(f"Note: Redis does not answer at {REDIS}; the site caches in each worker's local memory.")
    started, notes, rows = time.time(), [], []
    load_before = os.getloadavg()
    for key in args.engines:
        engine = ENGINES[key]
        if key == "postgres" and not postgres_answers():
            notes.append(f"PostgreSQL did not answer at {POSTGRES}: not measured.")
            print(notes[-1])
            continue
        rows += bench_engine(engine, args, cache_url)
    minutes = (time.time() - started) / 60
    print_table(rows)
    cache = "Redis (db 9)" if cache_url == REDIS else "local memory (Redis did not answer)"
    write_report(
        rows,
        args,
        cache=cache,
        servers=servers(cache_url),
        notes=notes,
        minutes=minutes,
        load_before=load_before,
    )
    print(f"\nWritten to {args.output} ({minutes:.1f} minutes).")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgres", type=lambda v: v.split(","))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s", help="wrk -d per page per round (default 10s)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c (default 16)")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers, site and floor (default 2)"
    )
    parser.add_argument("--port", type=int, default=8100, help="the site's port; the floor's is the next one")
    parser.add_argument("--keep-data", action="store_true", help="reuse the bench databases if they exist")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--pages",
        metavar="REGEX",
        type=re.compile,
        help="only the pages whose name matches (the floor always)",
    )
    args = parser.parse_args()
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine {', '.join(unknown)} (choose from {', '.join(ENGINES)})")
    extra = shlex.join(sys.argv[1:])
    args.command = "make bench" + (f" BENCH_ARGS={shlex.quote(extra)}" if extra else "")
    args.output = args.output.resolve()
    return args


def bench_engine(engine: Engine, args: argparse.Namespace, cache_url: str) -> list[dict]:
    """Fresh data, both servers up, the pages found and counted, then the rounds."""
    site_env = site_environment(engine, args.port, cache_url)
    floor_env = {**os.environ, "DATABASE_URL": engine.floor_db, "PYTHONPATH": str(BENCH)}
    print(f"\n== {engine.name}: setting up the bench data")
    setup_data(engine, site_env, floor_env, args.keep_data)
    flush_cache(cache_url)
    servers = [
        serve(["cms.wsgi"], args.port, args.workers, site_env, ROOT),
        serve(["floor.wsgi"], args.port + 1, args.workers, floor_env, BENCH),
    ]
    try:
        site, floor = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
        wait_for(site + "/"), wait_for(floor + "/ok/")
        cookie = sign_in(site, site_env["DEMO_PASSWORDS_FILE"])
        targets = resolve_pages(site, cookie, site_env, args)
        warm_up(site, floor, cookie, targets)
        counts = count_queries(site_env, targets)
        results = measure_rounds(engine, args, site, floor, cookie, targets)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    return summarise(engine, results, counts, targets)


def site_environment(engine: Engine, port: int, cache_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "DATABASE_URL": engine.site_db,
        "CACHE_URL": cache_url,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DEMO_PASSWORDS_FILE": str(VAR / "bench-demo-passwords.json"),
        "MEDIA_ROOT": str(VAR / "bench-media"),
        "PRIVATE_MEDIA_ROOT": str(VAR / "bench-private"),
        "LOG_LEVEL": "WARNING",
    }


def setup_data(engine: Engine, site_env: dict, floor_env: dict, keep: bool) -> None:
    manage = [PY, str(ROOT / "manage.py")]
    if not (keep and database_exists(engine.site_db)):
        fresh_database(engine.site_db)
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["seed_demo", "--force"],
            SEED_BENCH,
            ["db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "-v0"],  # search index
        ):
            run([*manage, *command], site_env)
        # Fresh bulk inserts leave the planner without statistics (PostgreSQL's autovacuum would gather
        # them within minutes; SQLite never does): without them the directory's page of 24 was a 10 ms sort.
        run([*manage, "shell", "-c", ANALYZE], site_env)
    run([*manage, "collectstatic", "--noinput", "-v0"], site_env)
    if not (keep and database_exists(engine.floor_db)):
        fresh_database(engine.floor_db)
    run([PY, "-m", "floor.seed"], floor_env, cwd=BENCH)


def run(command: list[str], env: dict, cwd: Path = ROOT) -> None:
    print("  $", shlex.join(command[1:] if command[0] == PY else command))
    subprocess.run(command, env=env, cwd=cwd, check=True)


def database_exists(url: str) -> bool:
    if url.startswith("sqlite:"):
        return Path(url.removeprefix("sqlite:///")).exists()
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        return (
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        )


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    assert name.startswith("coproduce_bench"), name  # never the dev or test database
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def servers(cache_url: str) -> list[str]:
    """The versions of the database and cache servers, for the report."""
    found = []
    if postgres_answers():
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres") as connection:
            found.append(f"PostgreSQL {connection.execute('SHOW server_version').fetchone()[0]}")
    if cache_url == REDIS:
        import redis

        found.append(f"Redis {redis.Redis.from_url(REDIS).info()['redis_version']}")
    return found


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def flush_cache(cache_url: str) -> None:
    """The cache must not hold the other engine's pages, sites or sessions."""
    if cache_url == REDIS:
        import redis

        redis.Redis.from_url(REDIS).flushdb()


def postgres_answers() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2).close()
    except psycopg.Error:
        return False
    return True


def serve(app: list[str], port: int, workers: int, env: dict, cwd: Path) -> subprocess.Popen:
    """gunicorn as the site is deployed (README: Deploying): sync workers, no proxy in between."""
    command = [GUNICORN, *app, "--workers", str(workers), "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, cwd=cwd)


HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}


def wait_for(url: str) -> None:
    for _ in range(120):
        try:
            if requests.get(url, headers=HEADERS, timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or busy loading the code
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within a minute")


def sign_in(site: str, passwords_file: str) -> str:
    """Post allauth's sign-in form as a browser would; returns the Cookie header of the session.

    The cookies are Secure (the site believes it is behind HTTPS), so they are carried by hand."""
    password = json.loads(Path(passwords_file).read_text())[MEMBER_EMAIL]
    form = requests.get(f"{site}/accounts/login/", headers=HEADERS, timeout=10)
    csrf = form.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    origin = site.replace("http://", "https://")
    response = requests.post(
        f"{site}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": MEMBER_EMAIL, "password": password},
        headers={
            **HEADERS,
            "Cookie": f"csrftoken={csrf}",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or "sessionid" not in response.cookies:
        raise SystemExit(f"Signing in as {MEMBER_EMAIL} failed: {response.status_code}")
    return f"sessionid={response.cookies['sessionid']}; csrftoken={csrf}"


def resolve_pages(site: str, cookie: str, site_env: dict, args: argparse.Namespace) -> list[tuple[Page, str]]:
    """Each page's path, checked to answer 200 to each of its audiences (a redirect would measure nothing)."""

    def get(path: str, audience: str = MEMBER) -> requests.Response:
        headers = {**HEADERS, "Cookie": cookie} if audience == MEMBER else HEADERS
        return requests.get(site + path, headers=headers, allow_redirects=False, timeout=30)

    def ask(code: str) -> str:
        command = [PY, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code]
        output = subprocess.run(command, env=site_env, cwd=ROOT, capture_output=True, text=True, check=True)
        return output.stdout.strip().splitlines()[-1]

    lookup = Site(get=lambda path: get(path).text, ask=ask)
    targets = []
    for page in PAGES:
        if args.pages and not args.pages.search(page.name):
            continue
        path = page.path if isinstance(page.path, str) else page.path(lookup)
        for audience in page.audiences:
            response = get(path, audience)
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                raise SystemExit(f"{page.name} ({path}) as {audience}: {response.status_code} {where}")
        targets.append((page, path))
    return targets


def warm_up(site: str, floor: str, cookie: str, targets: list[tuple[Page, str]]) -> None:
    """A few requests per page, so every worker has loaded its code and templates before round 1."""
    urls = [(floor + page.path, None) for page in FLOOR_PAGES]
    urls += [
        (site + path, cookie if audience == MEMBER else None)
        for page, path in targets
        for audience in page.audiences
    ]
    for url, cookie_header in urls:
        headers = {**HEADERS, **({"Cookie": cookie_header} if cookie_header else {})}
        for _ in range(4):
            requests.get(url, headers=headers, allow_redirects=False, timeout=30)


def count_queries(site_env: dict, targets: list[tuple[Page, str]]) -> dict:
    env = {**site_env, "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    pages = [[path, audience] for page, path in targets for audience in page.audiences]
    output = subprocess.run(
        [PY, str(BENCH / "queries.py")],
        input=json.dumps([MEMBER_EMAIL, pages]),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def wrk(url: str, args: argparse.Namespace, cookie: str | None) -> dict:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}", "--timeout", "5s"]
    command += ["-s", str(BENCH / "report.lua")]
    for name, value in {**HEADERS, **({"Cookie": cookie} if cookie else {})}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"(\w+)=(\d+)", output.split("BENCH", 1)[1]))
    seconds = int(fields["duration_us"]) / 1e6
    return {
        "requests": int(fields["requests"]),
        "rps": int(fields["requests"]) / seconds,
        "p50": int(fields["p50_us"]) / 1000,
        "p99": int(fields["p99_us"]) / 1000,
        "errors": int(fields["errors"]),
    }


def measure_rounds(engine, args, site, floor, cookie, targets) -> dict:
    """{(name, audience): [one result per round]}; each round measures the floor first, then every page."""
    results: dict[tuple[str, str], list[dict]] = {}
    for number in range(1, args.rounds + 1):
        print(f"== {engine.name}: round {number} of {args.rounds}")
        floor_rps = None
        for page in FLOOR_PAGES:
            result = wrk(floor + page.path, args, None)
            floor_rps = floor_rps or result["rps"]  # the first floor page is the reference
            results.setdefault((page.name, VISITOR), []).append(
                {**result, "ratio": result["rps"] / floor_rps}
            )
            report_line(page.name, VISITOR, results[(page.name, VISITOR)][-1])
        for page, path in targets:
            for audience in page.audiences:
                result = wrk(site + path, args, cookie if audience == MEMBER else None)
                result["ratio"] = result["rps"] / floor_rps
                results.setdefault((page.name, audience), []).append(result)
                report_line(page.name, audience, result)
    return results


def report_line(name: str, audience: str, result: dict) -> None:
    errors = f"  {result['errors']} errors" if result["errors"] else ""
    print(
        f"  {name:<34} {audience:<8} {result['rps']:7.1f} req/s  ×{result['ratio']:.2f}"
        f"  p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms{errors}"
    )


def summarise(engine: Engine, results: dict, counts: dict, targets: list[tuple[Page, str]]) -> list[dict]:
    """The median of the rounds for each figure; budgets checked for the site's pages."""
    paths = {page.name: path for page, path in targets}
    rows = []
    for (name, audience), rounds in results.items():
        row = {"page": name, "engine": engine.name, "audience": audience, "path": paths.get(name, "")}
        for key in ("rps", "ratio", "p50", "p99"):
            row[key] = statistics.median(r[key] for r in rounds)
        row["errors"] = sum(r["errors"] for r in rounds)
        row["requests"] = min(r["requests"] for r in rounds)
        count = counts.get(f"{row['path']} {audience}") if name in paths else None
        row.update(count or {"queries": None, "repeated": None, "writes": None})
        row["budget"] = budget(row) if name in paths else ""
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
