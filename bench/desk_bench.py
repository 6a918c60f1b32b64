"""The desk at company scale: load 100,000 or 1,000,000 requests into PostgreSQL, time every page the audit timed
and the intake's throughput, and print p50 / p95 and the queries of each page.

    .venv/bin/python bench/desk_bench.py                                  # 1,000,000 requests, 4 large projects
    .venv/bin/python bench/desk_bench.py --requests 100000 --shape realistic   # 400 projects in 8 branches
    .venv/bin/python bench/desk_bench.py --reuse                          # time again on the loaded database
    .venv/bin/python bench/desk_bench.py --all --readme                   # both sizes, both shapes; figures to README

The database is ``propdesk_bench_<shape>_<size>`` on the PostgreSQL of DATABASE_URL's host (default
127.0.0.1:5432, user postgres); shapes and the data are described in bench/load.py. Pages are requested through
Django's test client (a figure is the whole page: queries, Python and the template, without the network), each
``--runs`` times after one warm-up. Results are kept in bench/results.json; ``--readme`` rewrites the table between
the markers in the README's performance section from them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
MARK_START, MARK_END = "<!-- bench:desk:start -->", "<!-- bench:desk:end -->"

# The audit's figures (2026-12-02, PostgreSQL 15, 2 cores, p50 ms): 100k, 1M in 4 projects.
BEFORE = {
    "pm_dashboard": (145, 762), "agent_dashboard": (41, 195), "dispatch_queue": (88, 113), "search": (59, 284),
    "complaint_summary": (150, 1024), "kpis_week": (248, 1572), "visit_statistics": (272, 1240),
    "orders_register": (125, 641),
}
GOALS = {"list": 50, "dashboard": 100, "report": 200, "search": 50}


def pages(ids: dict) -> list[tuple[str, str, str, str, str]]:
    """(key, label, who, url, goal kind) of every timed page."""
    branch, month, quarter = ids["branch"], ids["month"], ids["quarter"]
    return [
        ("pm_dashboard", "project manager's dashboard", "pm", "/reports/", "dashboard"),
        ("agent_dashboard", "agent's dashboard", "agent", "/reports/", "dashboard"),
        ("workbench", "agent's workbench (home)", "agent", "/", "dashboard"),
        ("dispatch_queue", "dispatch queue /desk/", "agent", "/desk/", "list"),
        ("request_list", "request list, open, first page", "agent", "/desk/requests/?open=1", "list"),
        ("request_list_branch", "request list, branch leader, first page", "leader", "/desk/requests/", "list"),
        ("my_orders", "technician's orders", "tech", "/desk/orders/mine/", "list"),
        ("search", "keyword search 漏水, first 25 (API)", "agent", "/api/desk/requests?q=漏水&limit=25", "search"),
        ("search_page", "keyword search 水管 漏水, list page", "agent", "/desk/requests/?q=水管+漏水", "search"),
        # The agent's project of 250 requests (100k, realistic) has 11 hits, a page of 11 rows; at 1M, 50 rows.
        # The branch leader's 50 projects fill the page at both sizes: the same rows, what the data size costs.
        ("search_page_branch", "keyword search 水管 漏水, list page, branch", "leader", "/desk/requests/?q=水管+漏水",
         "search"),
        ("search_number", "search by number (part after prefix)", "agent", f"/search/?q={ids['number_local']}",
         "search"),
        ("complaint_summary", "complaint summary, branch, month", "leader",
         f"/reports/complaints/?branch={branch}&month={month}", "report"),
        ("kpis_week", "KPIs by week, branch", "leader", f"/reports/kpis/?branch={branch}&grain=week", "report"),
        ("visit_statistics", "visit statistics, branch, quarter", "leader",
         f"/reports/visits/?branch={branch}&quarter={quarter}", "report"),
        ("orders_register", "register of completed orders, branch", "leader",
         f"/reports/registers/orders/?branch={branch}&month={month}&measure=completed", "report"),
        ("complaint_register", "complaint register, branch, month", "leader",
         f"/reports/registers/complaints/?branch={branch}&month={month}", "report"),
        ("leader_dashboard", "branch leader's dashboard", "leader", "/reports/", "dashboard"),
        ("project_page_api", "API: complaint summary, branch", "leader",
         f"/api/reports/complaints/summary?branch={branch}&month={month}", "report"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=("large", "realistic"), default="large")
    parser.add_argument("--all", action="store_true", help="100k and 1M, both shapes (loads what is not loaded)")
    parser.add_argument("--reuse", action="store_true", help="time on the database already loaded")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--readme", action="store_true", help="write the figures into the README")
    parser.add_argument("--only", default="", help="comma-separated page keys to time")
    parser.add_argument("--no-intake", action="store_true", help="skip the creates-per-second run")
    args = parser.parse_args()
    runs = [(n, s) for n in (100_000, 1_000_000) for s in ("large", "realistic")] if args.all else \
        [(args.requests, args.shape)]
    for requests, shape in runs:
        # One process per database: Django's settings read DATABASE_URL once.
        if len(runs) > 1:
            command = [sys.executable, __file__, "--requests", str(requests), "--shape", shape, "--runs",
                       str(args.runs)] + (["--reuse"] if args.reuse or _loaded(requests, shape) else [])
            import subprocess

            subprocess.run(command, check=True)
        else:
            run_one(requests, shape, reuse=args.reuse, runs=args.runs, only=args.only, intake=not args.no_intake)
    if args.readme:
        write_readme()


def database_name(requests: int, shape: str) -> str:
    return f"propdesk_bench_{shape}_{requests // 1000}k"


def _admin_dsn() -> str:
    return "postgresql://postgres@127.0.0.1:5432/postgres"


def _loaded(requests: int, shape: str) -> bool:
    import psycopg

    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [database_name(requests, shape)]).fetchone() is not None


def run_one(requests: int, shape: str, *, reuse: bool, runs: int, only: str = "", intake: bool = True) -> None:
    name = database_name(requests, shape)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    # Production settings (DEBUG off: no query log kept, templates cached), with a key for the bench's sessions.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not reuse:
        import psycopg

        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    import load
    from django.core.management import call_command

    print(f"== {requests:,} requests, shape {shape}, database {name}", flush=True)
    if not reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"  migrate: {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        load.load(requests, shape)
        print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
    figures = time_pages(runs, only=[key for key in only.split(",") if key])
    kept = _stored(requests, shape).get("intake", {})
    _save(requests, shape, figures, time_intake() if intake else kept, merge=bool(only))


def _ids() -> dict:
    from django.utils import timezone

    from propdesk.org.models import Branch
    from propdesk.reports.periods import add_months, quarter_period
    from propdesk.servicedesk.models import ServiceRequest

    branch = Branch.objects.get(code="b0")
    project = branch.projects.order_by("id").first()
    today = timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    recent = ServiceRequest.objects.filter(project=project).order_by("-id").values_list("number", flat=True)
    sample = list(recent[:500])[-1]
    return {"branch": branch.pk, "project": project.pk, "month": f"{last_month:%Y-%m}",
            "quarter": quarter_period(add_months(quarter_period(today).start, -3)).key,
            "number_local": sample.split("-", 1)[1]}


def _clients() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    clients = {}
    for who, username in (("pm", "bench_pm"), ("agent", "bench_agent"), ("leader", "bench_leader"),
                          ("tech", "bench_tech0")):
        client = Client()
        client.force_login(users.get(username=username))
        clients[who] = client
    return clients


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(runs: int, only: list[str]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from propdesk.servicedesk.models import ServiceRequest, WorkOrder

    print(f"  {ServiceRequest.objects.count():,} requests, {WorkOrder.objects.count():,} work orders", flush=True)
    ids, clients = _ids(), _clients()
    figures = {}
    print(f"  {'page':<46} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KiB':>6}", flush=True)
    for key, label, who, url, goal in pages(ids):
        if only and key not in only:
            continue
        client = clients[who]
        response = client.get(url)
        if response.status_code != 200:
            print(f"  {label:<46} HTTP {response.status_code} for {url}", flush=True)
            continue
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                size = len(response.content)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
        mark = "" if p50 <= GOALS[goal] else f"  (goal {GOALS[goal]})"
        print(f"  {label:<46} {p50:8.1f} {p95:8.1f} {queries:8d} {size / 1024:6.0f}{mark}", flush=True)
        figures[key] = {"label": label, "p50": round(p50, 1), "p95": round(p95, 1), "queries": queries,
                        "goal": GOALS[goal]}
    return figures


def time_intake() -> dict:
    """Creates per second at 4 concurrent clients through the API on two single-threaded waitress processes (the
    stand-in for gunicorn's two sync workers), and the queries of one create through the API and the form
    (bench/intake_bench.py), on the loaded database."""
    import intake_bench

    return intake_bench.measure(agent="bench_agent")


def _stored(requests: int, shape: str) -> dict:
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    return stored.get(f"{shape}:{requests}", {})


def _save(requests: int, shape: str, figures: dict, intake: dict, *, merge: bool = False) -> None:
    """Keep the figures; with ``merge`` (a run of some pages only) the other pages' figures stay."""
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if merge:
        figures = {**stored.get(f"{shape}:{requests}", {}).get("pages", {}), **figures}
    stored[f"{shape}:{requests}"] = {"measured": time.strftime("%Y-%m-%d"), "pages": figures, "intake": intake}
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def write_readme() -> None:
    stored = json.loads(RESULTS.read_text())
    columns = [(shape, size) for shape in ("large", "realistic") for size in (100_000, 1_000_000)
               if f"{shape}:{size}" in stored]
    head = "| page (p50 / p95 ms, queries) | before: 100k / 1M in 4 projects | " + " | ".join(
        f"{'1M' if size == 1_000_000 else f'{size // 1000}k'}, {'4 projects' if shape == 'large' else '400 projects'}"
        for shape, size in columns) + " |"
    lines = [head, "|" + "---|" * (2 + len(columns))]
    order = [key for key, *_ in pages({"branch": 0, "month": "", "quarter": "", "number_local": ""})]
    keys = [key for key in order if any(key in stored[f"{s}:{n}"]["pages"] for s, n in columns)]
    for key in keys:
        label = next(stored[f"{s}:{n}"]["pages"][key]["label"] for s, n in columns
                     if key in stored[f"{s}:{n}"]["pages"])
        before = BEFORE.get(key)
        cells = [f"{before[0]:,} / {before[1]:,}" if before else "–"]
        for shape, size in columns:
            figure = stored[f"{shape}:{size}"]["pages"].get(key)
            cells.append(f"{figure['p50']:.0f} / {figure['p95']:.0f} ({figure['queries']})" if figure else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for mode in ("api", "form"):
        cells = ["42/s" if mode == "api" else "45/s"]
        present = False
        for shape, size in columns:
            intake = stored[f"{shape}:{size}"].get("intake", {}).get(mode)
            present |= bool(intake)
            if intake and "per_second" in intake:
                cells.append(f"{intake['per_second']:.0f}/s, p50 {intake['p50']:.0f} ms ({intake['queries']})")
            else:
                cells.append(f"({intake['queries']} queries)" if intake else "–")
        if present:
            lines.append(f"| create through the {mode.upper() if mode == 'api' else 'form'}, 4 clients | "
                         + " | ".join(cells) + " |")
    text = README.read_text()
    start, end = text.index(MARK_START) + len(MARK_START), text.index(MARK_END)
    README.write_text(text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:])
    print(f"README: {len(keys)} pages, {len(columns)} columns written")


if __name__ == "__main__":
    main()
