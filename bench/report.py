"""The table bench/run.py prints and the docs/performance.md it writes, with the budgets of issue 8."""

import os
import re
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

# The budgets: each page, signed in as a member, on PostgreSQL.
MIN_RATIO, MAX_P99_MS, MAX_QUERIES = 0.6, 150, 12
MIN_REQUESTS = 100  # fewer in a round, and its p99 means little

# the bench data, after seed_demo (bench/run.py runs it; the report names it)
SEED_BENCH = [
    "seed_bench",
    "--members",
    "5000",
    "--exemplars",
    "600",
    "--posts",
    "2000",
    "--comments",
    "100000",
    "--threads",
    "2000",
    "--replies",
    "100000",
    "--visits",
    "300",
    "--bookings",
    "3000",
]


def budget(row: dict) -> str:
    misses = [
        label
        for label, missed in (
            (f"< {MIN_RATIO} × floor", row["ratio"] < MIN_RATIO),
            (f"p99 ≥ {MAX_P99_MS} ms", row["p99"] >= MAX_P99_MS),
            (f"> {MAX_QUERIES} queries", row["queries"] > MAX_QUERIES),
            ("writes on GET", bool(row["writes"])),
            ("errors", bool(row["errors"])),
            (f"too few requests ({row['requests']}): run longer", row["requests"] < MIN_REQUESTS),
        )
        if missed
    ]
    return "miss: " + ", ".join(misses) if misses else "pass"


COLUMNS = [
    "page",
    "engine",
    "audience",
    "req/s",
    "÷ floor",
    "p50 ms",
    "p99 ms",
    "queries",
    "writes on GET",
    "budget",
]


def cells(row: dict) -> list[str]:
    queries = "" if row["queries"] is None else str(row["queries"])
    if row["repeated"]:
        queries += f" ({row['repeated']} repeated)"
    writes = "" if row["writes"] is None else str(len(row["writes"]))
    return [
        row["page"],
        row["engine"],
        row["audience"],
        f"{row['rps']:.0f}",
        f"{row['ratio']:.2f}",
        f"{row['p50']:.0f}",
        f"{row['p99']:.0f}",
        queries,
        writes,
        row["budget"],
    ]


def print_table(rows: list[dict]) -> None:
    table = [COLUMNS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    print()
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def markdown_table(rows: list[dict]) -> list[str]:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return lines + ["| " + " | ".join(cells(row)) + " |" for row in rows]


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory_kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return [
        f"- CPU: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model.group(1) if model else '?'}",
        f"- Memory: {memory_kb / 1024 / 1024:.1f} GiB",
    ]


def code_version() -> str:
    def git(*command: str) -> str:
        return subprocess.run(
            ["git", *command], cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "not a git checkout"
    changed = [line for line in git("status", "--porcelain", "--untracked-files=no").splitlines() if line]
    return f"commit {commit}" + (f" with uncommitted changes to {len(changed)} files" if changed else "")


def versions(servers: list[str]) -> str:
    found = [f"Python {sys.version.split()[0]}"]
    found += [f"{name} {version(name)}" for name in ("Django", "wagtail", "django-allauth", "gunicorn")]
    found += [f"SQLite {sqlite3.sqlite_version}", *servers]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    found.append(f"wrk {wrk_version[1] if len(wrk_version) > 1 else '?'}")
    return ", ".join(found)


def write_report(
    rows: list[dict],
    args,
    *,
    cache: str,
    servers: list[str],
    notes: list[str],
    minutes: float,
    load_before: tuple[float, float, float],
) -> None:
    """docs/performance.md: the setup, then the table; nothing of earlier runs."""
    load_after = os.getloadavg()
    text = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); rewritten on every run, so only the last run is here.",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}, {minutes:.0f} minutes",
        f"- Command: `{args.command}`",
        f"- Code: {code_version()}",
        *machine(),
        f"- Versions: {versions(servers)}",
        f"- Load: {args.workers} gunicorn sync workers for the site and as many for the floor, both on this machine;"
        f" `wrk -t{args.threads} -c{args.connections} -d{args.duration}` per page, {args.rounds} round(s), "
        f"each round the floor first and then every page; figures are the median of the rounds.",
        f"- Site: `cms.settings.production` (DEBUG off), cache {cache}, seed_demo + "
        f"`{' '.join(SEED_BENCH)}`; requests carry `X-Forwarded-Proto: https`.",
        f"- Machine load average (1 min) {load_before[0]:.1f} before, {load_after[0]:.1f} after: anything else "
        "running (other test suites) takes CPU from both site and floor, so compare ratios rather than req/s.",
        *(f"- {note}" for note in notes),
        "",
        "## Budgets (issue 8)",
        "",
        f"Each page, signed in as a member, on PostgreSQL with persistent connections: ≥ {MIN_RATIO} × the floor's "
        f"req/s in the same round; p99 < {MAX_P99_MS} ms at {args.connections} connections; "
        f"≤ {MAX_QUERIES} queries; no database write on a GET. The budget column applies the same checks to every "
        "row for information; the PostgreSQL member rows are the ones that count.",
        "",
        "## Results",
        "",
        "The floor (bench/floor/) is a tiny Django project: one view rendering 20 posts with `select_related` and "
        "`Paginator` (2 queries), and `ok`, a plain HttpResponse. Members-only pages (network home, directory, "
        "profile) are measured as a member only: a visitor is just redirected to sign in. Queries and writes "
        'come from one in-process GET after a warm-up GET (bench/queries.py); "repeated" counts statements '
        "run again with the same parameters.",
        "",
        *markdown_table(rows),
        "",
        *writes_detail(rows),
        *misses_explained(),
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(text).rstrip() + "\n")


def misses_explained() -> list[str]:
    """bench/misses.md, kept by hand: where the time goes on each page that misses a budget (profiled with
    bench/hotspots.py), so every run's report carries the explanation beside the numbers."""
    notes = Path(__file__).with_name("misses.md")
    return ["", *notes.read_text().rstrip().splitlines()] if notes.exists() else []


def writes_detail(rows: list[dict]) -> list[str]:
    seen: dict[str, list[str]] = {}
    for row in rows:
        for statement in row["writes"] or []:
            seen.setdefault(re.sub(r"\s+", " ", statement)[:160], []).append(
                f"{row['page']} ({row['engine']})"
            )
    if not seen:
        return []
    lines = ["## Writes on GET", ""]
    for statement, pages in seen.items():
        lines.append(f"- `{statement}`: {', '.join(sorted(set(pages)))}")
    return lines
