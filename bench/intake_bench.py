"""Intake throughput: creates per second through the API at 4 concurrent clients, on PostgreSQL.

    .venv/bin/python bench/intake_bench.py                  # 20 s, 4 clients, 2 single-threaded server processes
    .venv/bin/python bench/intake_bench.py --seconds 10 --clients 8 --workers 2
    .venv/bin/python bench/intake_bench.py --reuse          # on the database already built

What it does:

1. builds database ``propdesk_intake_bench`` (migrations and the test world of propdesk/core/testing.py: one
   company, three projects with rooms, residents and a user per role) unless ``--reuse``, and issues one API
   token per client for the agent of project A;
2. counts the SQL queries of one create through the API and one through the intake form, in this process, outside
   any test transaction (BEGIN and COMMIT count, as does what runs after the commit: the outbox's wake-up);
3. starts ``--workers`` server processes of waitress with one thread each — the stand-in for gunicorn's sync
   workers (gunicorn is not in the venv) — each on its own port, the clients spread over them;
4. lets ``--clients`` threads post a typical repair (a known resident, a room by its code, no dispatch) through
   ``POST /api/desk/requests`` for ``--seconds``, each on a kept-alive connection, and prints creates per second,
   the latency's median and 95th percentile, and the answers that were not 201.

The peer, django-helpdesk, does 68 creates/s at 17 queries per create on the same machine (issue 15). Measured
2026-12-05 (2 shared cores, 15 s runs, before and after interleaved): before issue 15's intake work 47–53 creates/s
at 34 queries per API create (49 per form create); after it 136–162 creates/s at 12 (23), p50 24–28 ms.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE_PORT = 8731


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="propdesk_intake_bench")
    parser.add_argument("--reuse", action="store_true", help="on the database already built")
    parser.add_argument("--show-queries", action="store_true", help="print the queries of the two counted creates")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
           "DJANGO_SETTINGS_MODULE": "config.settings", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
           "SECRET_KEY": "intake-bench-only-" + "x" * 40, "SECURE_SSL_REDIRECT": "0", "DEBUG": "0"}
    os.environ.update(env)
    if not args.reuse:
        _recreate_database(args.database)
    import django

    django.setup()
    from django.conf import settings

    # The in-process form count renders the page: static files by their plain names (no collectstatic needed).
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    if not args.reuse:
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        _build()
        print(f"database built in {time.perf_counter() - started:.1f} s")
    tokens, body = _tokens(args.clients), _body()
    api_queries, form_queries = _count_queries(body, show=args.show_queries)
    print(f"queries per create: API {api_queries}, form {form_queries}")
    from django.db import connections

    connections.close_all()
    servers = _start_servers(args.workers, env)
    try:
        _run(args, tokens, body, api_queries)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


def _recreate_database(name: str):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _build():
    from propdesk.core.testing import build_world

    build_world()


AGENT = "agent_a"  # the test world's agent of project A; desk_bench.py measures as its own agent


def _agent():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=AGENT)


def _tokens(count: int) -> list[str]:
    from propdesk.staff.models import ApiToken

    return [ApiToken.issue(user=_agent(), name=f"bench {i}")[1] for i in range(count)]


def _body() -> dict:
    """A typical repair in the agent's project: by a known resident where the archive has one, else by a caller
    who gives a name and a phone; in a room given by its code."""
    from propdesk.customers.models import Resident
    from propdesk.org.models import Room

    project = _agent().staff_profile.project
    owner = Resident.objects.filter(project=project, name="周美玲").first() or Resident.objects.filter(
        project=project).first()
    body = {"project_id": project.pk, "channel": "phone", "kind": "repair",
            "description": "厨房水龙头漏水，滴个不停", "resident_request": "今天下午来修"}
    if owner is not None:
        room = owner.occupancies.select_related("room").first().room
        return {**body, "reporter_id": owner.pk, "room_code": room.code}
    room = Room.objects.filter(project=project).order_by("id").first()
    return {**body, "contact_name": "周美玲", "contact_phone": "13812345678", "room_code": room.code}


def _count_queries(body: dict, *, show: bool = False) -> tuple[int, int]:
    """One create through the API and one through the form, in this process (the first of each warms the caches
    and the day's counter row)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    api = Client(headers={"Authorization": f"Bearer {_tokens(1)[0]}"})
    form = Client()
    form.force_login(_agent())
    counts = []
    for send, data in ((lambda data: api.post("/api/desk/requests", data, content_type="application/json"),
                        lambda: body),
                       (lambda data: form.post("/desk/intake/", data), lambda: _form_data(form, body))):
        send(data())
        submission = data()  # read before counting (the form's page gives a fresh token: a new submission)
        with CaptureQueriesContext(connection) as ctx:
            response = send(submission)
        assert response.status_code in (201, 302), (response.status_code, response.content[:500])
        counts.append(len(ctx.captured_queries))
        if show:
            print("\n".join(f"  {q['sql'][:150]}" for q in ctx.captured_queries))
    return counts[0], counts[1]


def _form_data(client, body: dict) -> dict:
    import re

    from propdesk.customers.models import Resident

    page = client.get("/desk/intake/", {"resident": body.get("reporter_id", "")}).content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', page).group(1)
    if body.get("reporter_id"):
        caller = {"reporter_id": body["reporter_id"], "contact_phone": "",
                  "contact_name": Resident.objects.get(pk=body["reporter_id"]).name}
    else:
        caller = {"contact_name": body["contact_name"], "contact_phone": body["contact_phone"]}
    return {"form_token": token, "kind": "repair", "channel": "phone", **caller,
            "room_code": body["room_code"], "description": body["description"], "emotion": "calm"}


def _start_servers(workers: int, env: dict) -> list[subprocess.Popen]:
    servers = [subprocess.Popen([str(Path(sys.executable).parent / "waitress-serve"), "--threads=1",
                                 f"--port={BASE_PORT + i}", "--host=127.0.0.1", "config.wsgi:application"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for i in range(workers)]
    deadline = time.monotonic() + 60
    for i in range(workers):
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", BASE_PORT + i, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    return servers


def measure(*, agent: str, seconds: float = 15, clients: int = 4, workers: int = 2) -> dict:
    """Creates per second on the database of DATABASE_URL (already loaded by bench/desk_bench.py) as ``agent``;
    the requests it creates are deleted afterwards (the pages are timed again on the database as loaded)."""
    global AGENT
    AGENT = agent
    since_id = _last_request_id()
    tokens, body = _tokens(clients), _body()
    api_queries, form_queries = _count_queries(body)
    from django.db import connections

    connections.close_all()
    servers = _start_servers(workers, dict(os.environ))
    try:
        figures = _run(argparse.Namespace(seconds=seconds, workers=workers), tokens, body, api_queries)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
        _forget(since_id)
    return {"api": {**figures, "queries": api_queries}, "form": {"queries": form_queries}}


def _last_request_id() -> int:
    from propdesk.servicedesk.models import ServiceRequest

    return ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _forget(since_id: int) -> None:
    """Delete the requests created after ``since_id`` (with whatever refers to them or to their work orders) and
    rebuild the rollups of the days they touched: the next timing of the pages sees the database as loaded, not
    with a few thousand fresh open requests in one project's dispatch queue."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from propdesk.servicedesk.models import ServiceRequest, WorkOrder

    first = ServiceRequest.objects.filter(id__gt=since_id).order_by("id").values_list("received_at", flat=True).first()
    if first is None:
        return
    referring = """SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                   WHERE c.confrelid = %s::regclass AND c.contype = 'f'"""
    requests, orders = ServiceRequest._meta.db_table, WorkOrder._meta.db_table
    created = f"SELECT id FROM {requests} WHERE id > %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(referring, [orders])
        for table, column in cursor.fetchall():
            cursor.execute(f'DELETE FROM {table} WHERE "{column}" IN '
                           f"(SELECT id FROM {orders} WHERE request_id IN ({created}))", [since_id])
        cursor.execute(referring, [requests])
        for table, column in cursor.fetchall():
            cursor.execute(f'DELETE FROM {table} WHERE "{column}" IN ({created})', [since_id])
        cursor.execute(f"DELETE FROM {requests} WHERE id > %s", [since_id])
    call_command("rebuild_rollups", since=f"{timezone.localdate(first):%Y-%m-%d}", verbosity=0)


def _run(args, tokens: list[str], body: dict, api_queries: int) -> dict:
    payload = json.dumps(body, ensure_ascii=False).encode()
    latencies: list[list[float]] = [[] for _ in tokens]
    failures: list[list[int]] = [[] for _ in tokens]
    start = threading.Barrier(len(tokens) + 1)
    stop_at = [0.0]

    def client(i: int):
        conn = http.client.HTTPConnection("127.0.0.1", BASE_PORT + i % args.workers, timeout=30)
        headers = {"Authorization": f"Bearer {tokens[i]}", "Content-Type": "application/json"}
        start.wait()
        while time.monotonic() < stop_at[0]:
            began = time.monotonic()
            conn.request("POST", "/api/desk/requests", payload, headers)
            response = conn.getresponse()
            response.read()
            if response.status == 201:
                latencies[i].append(time.monotonic() - began)
            else:
                failures[i].append(response.status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + args.seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    done = sorted(t for per in latencies for t in per)
    failed = [status for per in failures for status in per]
    print(f"{len(done)} creates in {elapsed:.1f} s by {len(tokens)} clients on {args.workers} single-threaded "
          f"waitress processes: {len(done) / elapsed:.1f} creates/s, p50 {1000 * statistics.median(done):.1f} ms, "
          f"p95 {1000 * done[int(len(done) * 0.95)]:.1f} ms, {api_queries} queries per create"
          + (f", {len(failed)} failed ({sorted(set(failed))})" if failed else ""))
    return {"per_second": round(len(done) / elapsed, 1), "p50": round(1000 * statistics.median(done), 1),
            "p95": round(1000 * done[int(len(done) * 0.95)], 1), "failed": len(failed)}


if __name__ == "__main__":
    main()
