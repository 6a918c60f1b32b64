import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_liveness_answers_without_asking_the_database(client, db, monkeypatch):
    """/healthz is liveness: a database outage must not make a supervisor restart every web process."""
    class DownConnection:
        def cursor(self):
            raise RuntimeError("connection refused")

    monkeypatch.setattr("propdesk.core.views.connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_the_database_and_the_migrations(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_readiness_says_503_when_the_database_is_down(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise RuntimeError("connection refused")

    monkeypatch.setattr("propdesk.core.views.connection", DownConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "migrations": "unknown"}


def test_readiness_says_503_while_a_migration_is_not_applied(client, db):
    """A process started before `migrate` finished takes no traffic: the last core migration is taken back out of
    django_migrations (inside the test's transaction) and readiness names the gap."""
    from django.db.migrations.recorder import MigrationRecorder

    last = MigrationRecorder.Migration.objects.filter(app="core").order_by("-applied", "-id").first()
    MigrationRecorder.Migration.objects.filter(pk=last.pk).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "migrations": "1 unapplied"}


def test_probes_answer_over_plain_http_in_production(tmp_path):
    """Load balancers and Prometheus reach the processes over plain HTTP inside the network: with DEBUG=0 the probes
    and /metrics answer there, where every page redirects to https. (A fresh, unmigrated database: readiness says
    503; /metrics is closed to this address: 404.)"""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "testserver",
           "PROPDESK_VAR_DIR": str(tmp_path), "METRICS_ALLOWED_IPS": "10.9.9.9",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    code = ("import django; django.setup(); from django.test import Client; c = Client(); "
            "print([c.get(p).status_code for p in ('/healthz', '/readyz', '/metrics', '/login/')])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[200, 503, 404, 301]"


def test_production_settings_pass_check_deploy(tmp_path):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 20 + "-production-key-" + "y" * 40,
           "ALLOWED_HOSTS": "propdesk.example.com", "PROPDESK_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' Playwright loop, never in production
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_logs_are_one_json_object_a_line(tmp_path):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x", "PROPDESK_VAR_DIR": str(tmp_path)}
    code = ("import logging, django; django.setup(); "
            "logging.getLogger('propdesk').warning('报事 %s', 1, extra={'room': '3-2-1802'})")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
    import json

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "报事 1" and line["room"] == "3-2-1802" and line["level"] == "WARNING"
