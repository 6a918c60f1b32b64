"""The README's production recipe, end to end: `propdesk serve` with DEBUG=0 behind a reverse proxy.

A real waitress process (DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS, its own migrated SQLite database, static files
collected at build time, TRUSTED_PROXY) and a few-line reverse proxy in this test that sets X-Forwarded-Proto: https and
X-Forwarded-For, as nginx does. The proxy connects from 127.0.0.2 (the trusted peer); requests straight to waitress come
from 127.0.0.1, an untrusted peer, as a client that goes around the proxy would.
"""

import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[3]
HOST = "propdesk.example.com"
PROXY_PEER = "127.0.0.2"  # the reverse proxy's address as waitress sees it: TRUSTED_PROXY
CLIENT = "203.0.113.7"  # the resident's or agent's address, as the proxy reports it
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(env, *args):
    return subprocess.Popen([sys.executable, "-m", "propdesk.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(process, what):
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, f"{what} failed:\n{output}"


def _request(port, method, path, *, headers=None, body=None, source=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20,
                                            source_address=(source, 0) if source else None)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _reverse_proxy(upstream_port, *, peer, forwarded_for):
    """nginx in a few lines: forward the request, add X-Forwarded-Proto: https and X-Forwarded-For."""

    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for})
            status, response_headers, content = _request(upstream_port, self.command, self.path, headers=headers,
                                                          body=body, source=peer)
            self.send_response(status)
            for key, value in response_headers.items():
                if key.lower() not in HOP_BY_HOP | {"content-length", "server", "date"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_HEAD = _forward

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    var = tmp_path_factory.mktemp("production-var")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST, "PROPDESK_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'propdesk.sqlite3'}",
        "TRUSTED_PROXY": PROXY_PEER, "LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_USERNAME": "ops_admin", "DJANGO_SUPERUSER_PASSWORD": "Ops-pass-2026!",
        "DJANGO_SUPERUSER_EMAIL": "ops@example.com",
    })
    # The build (static files) and the deployment (migrations, an admin) as the README runs them.
    collect = _run(env, "collectstatic", "--noinput", "-v", "0")
    _finish(_run(env, "migrate", "--noinput", "-v", "0"), "migrate")
    _finish(_run(env, "createsuperuser", "--noinput"), "createsuperuser")
    _finish(collect, "collectstatic")

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "propdesk.cli", "serve", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, env={**env, "LOG_LEVEL": "INFO"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Ready when waitress says it listens (or the process ends): its output is read as it comes, no sleeping.
    output, ready = [], threading.Event()

    def read_output():
        for line in server.stdout:
            output.append(line)
            if "Serving on" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    proxy = untrusted_proxy = None
    try:
        assert ready.wait(timeout=120), "propdesk serve did not listen within 120 s:\n" + "".join(output)
        assert server.poll() is None, "propdesk serve exited:\n" + "".join(output)
        proxy = _reverse_proxy(port, peer=PROXY_PEER, forwarded_for=CLIENT)
        untrusted_proxy = _reverse_proxy(port, peer="127.0.0.1", forwarded_for="198.51.100.9")
        yield {"port": port, "proxy": proxy.server_address[1], "untrusted_proxy": untrusted_proxy.server_address[1],
               "database": var / "propdesk.sqlite3"}
    finally:
        for running in (proxy, untrusted_proxy):
            if running:
                running.shutdown()
                running.server_close()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _cookies(headers) -> dict:
    jar = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def test_pages_through_the_proxy_answer_without_a_redirect_loop(production):
    status, headers, body = _request(production["proxy"], "GET", "/login/")
    assert status == 200, (status, headers.get("Location"))
    assert "Strict-Transport-Security" in headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    # The page's static files are the hashed names collected at build time, and they are served.
    stylesheet = re.search(rb'href="(/static/propdesk/app\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, body[:600]
    assert _request(production["proxy"], "GET", stylesheet.group(1).decode())[0] == 200


def test_plain_http_straight_to_waitress_is_sent_to_https_once(production):
    status, headers, _ = _request(production["port"], "GET", "/login/")
    assert status == 301 and headers["Location"] == f"https://{HOST}/login/"
    # That https address (the proxy) answers the page itself.
    assert _request(production["proxy"], "GET", "/login/")[0] == 200


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(production):
    # The same headers, claiming https, but from a peer that is not TRUSTED_PROXY: stripped, still plain http.
    status, headers, _ = _request(production["untrusted_proxy"], "GET", "/login/")
    assert status == 301 and headers["Location"] == f"https://{HOST}/login/"
    status, headers, _ = _request(production["port"], "GET", "/login/",
                                  headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9"})
    assert status == 301


def test_a_body_larger_than_any_form_takes_is_refused_before_django(production):
    status, _, _ = _request(production["port"], "POST", "/login/", body=b"x" * 1024,
                            headers={"Content-Length": str(200 * 1024 * 1024)})
    assert status == 413


def test_health_answers_over_plain_http_without_a_redirect(production):
    status, _, body = _request(production["port"], "GET", "/healthz")
    assert status == 200 and b'"ok"' in body


def test_a_sign_in_through_the_proxy_records_the_client_address(production):
    proxy = production["proxy"]
    status, headers, body = _request(proxy, "GET", "/login/")
    jar = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"csrfmiddlewaretoken": token, "username": "ops_admin", "password": "Ops-pass-2026!"})
    status, headers, _ = _request(proxy, "POST", "/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(jar),
        "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/login/"})
    assert status == 302, status
    jar.update(_cookies(headers))
    assert "sessionid" in jar and "secure" in " ".join(headers.get_all("Set-Cookie")).lower()
    assert _request(proxy, "GET", "/admin/", headers={"Cookie": _cookie_header(jar)})[0] == 200

    with sqlite3.connect(production["database"]) as db:
        rows = db.execute("SELECT a.ip FROM core_auditlog a JOIN auth_user u ON u.id = a.actor_id "
                          "WHERE a.action = 'login' AND u.username = 'ops_admin'").fetchall()
    assert rows == [(CLIENT,)]
