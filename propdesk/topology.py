"""``propdesk scaled``: the scaled topology on one machine — PostgreSQL, several web processes sharing one address
and several workers — started, watched and stopped together.

    propdesk scaled [--host 127.0.0.1] [--port 8000] [--web 2] [--workers 2] [--no-demo]

- the database is DATABASE_URL (PostgreSQL only); unset, ``postgres://postgres@127.0.0.1:5432/propdesk_scaled``,
  created when missing;
- ``migrate``, then the demo company when the database has no company yet (``--no-demo``: never);
- ``--web`` × ``propdesk serve --reuse-port`` on host:port: every process binds the same port (SO_REUSEPORT) and the
  kernel hands each new connection to one of them, so there is one address and no proxy to install;
- ``--workers`` × ``propdesk worker``: they share the task queue and the sweeps (SKIP LOCKED);
- Ctrl+C (or SIGTERM, or closing the terminal) stops them all; when one of them dies, the others are stopped
  too and the exit code says so.

Every process gets the same SECRET_KEY (a random one for the run when none is set: sessions must be readable by
every web process). In development (DEBUG on) answers carry ``X-PropDesk-Process: host:pid`` so that one can see
which process answered. The parent never imports Django: it only starts and watches.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/propdesk_scaled"


def _database(url: str) -> dict:
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("propdesk scaled runs on PostgreSQL: set DATABASE_URL=postgres://… (several processes "
                         "write at once; SQLite would queue them)")
    return config


def _connect(config: dict, dbname: str):
    import psycopg

    return psycopg.connect(dbname=dbname, user=config["USER"] or None, password=config["PASSWORD"] or None,
                           host=config["HOST"] or None, port=config["PORT"] or None, autocommit=True)


def ensure_database(config: dict) -> bool:
    """Create the database when it does not exist yet; True when it was created."""
    from psycopg import sql

    with _connect(config, "postgres") as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    return True


def has_company(config: dict) -> bool:
    with _connect(config, config["NAME"]) as conn:
        return conn.execute("SELECT EXISTS (SELECT 1 FROM org_company)").fetchone()[0]


def _propdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "propdesk.cli", *args]


def wait_ready(url: str, *, timeout: float, processes: list[subprocess.Popen]) -> bool:
    """Poll the readiness probe until it answers 200 (or a process died, or time is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def stop_all(processes: list[subprocess.Popen], *, grace: float = 10) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def scaled(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="propdesk scaled", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--web", type=int, default=2, help="web processes on the one address (2)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--no-demo", action="store_true", help="do not build the demo company in an empty database")
    args = parser.parse_args(argv)
    if args.web < 1 or args.workers < 0:
        parser.error("--web must be at least 1 and --workers at least 0")

    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Like ./dev demo, the one-machine topology is a local one unless told otherwise (DEBUG=0 with ALLOWED_HOSTS,
    # collected static files and a proxy, as in the README's production recipe).
    env.setdefault("DEBUG", "1")
    if env.get("DEBUG", "1").strip().lower() in {"1", "true", "yes", "on"}:
        env.setdefault("PROPDESK_EXPOSE_PROCESS", "1")
    config = _database(env["DATABASE_URL"])
    if ensure_database(config):
        print(f"==> created database {config['NAME']}", flush=True)

    print("==> migrate", flush=True)
    subprocess.run(_propdesk("migrate", "--noinput", "-v", "0"), env=env, check=True)
    if not args.no_demo and not has_company(config):
        print("==> building the demo company (once)", flush=True)
        subprocess.run(_propdesk("demo"), env=env, check=True)

    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # SIGHUP: the terminal closed
        signal.signal(signum, on_signal)
    processes: list[tuple[str, subprocess.Popen]] = []
    port = str(args.port)
    for n in range(1, args.web + 1):
        processes.append((f"web {n}", subprocess.Popen(
            _propdesk("serve", "--host", args.host, "--port", port, "--reuse-port"), env=env)))
    for n in range(1, args.workers + 1):
        processes.append((f"worker {n}", subprocess.Popen(_propdesk("worker"), env=env)))
    popens = [process for _name, process in processes]
    address = f"http://{args.host}:{port}/"
    if not wait_ready(f"{address}readyz", timeout=60, processes=popens):
        print("propdesk scaled: the web processes did not become ready", file=sys.stderr, flush=True)
        stop_all(popens)
        return 1
    print(f"==> PropDesk at {address} — " + ", ".join(f"{name} pid {p.pid}" for name, p in processes)
          + "  (Ctrl+C stops them all)", flush=True)

    code = 0
    while not stopping:
        dead = [(name, process) for name, process in processes if process.poll() is not None]
        if dead:
            for name, process in dead:
                print(f"propdesk scaled: {name} (pid {process.pid}) exited with {process.returncode}; stopping the "
                      "others", file=sys.stderr, flush=True)
            code = 1
            break
        time.sleep(0.5)
    print("==> stopping", flush=True)
    stop_all(popens)
    return code
