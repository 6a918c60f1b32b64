import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def test_health_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_says_503_when_the_database_is_down(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise RuntimeError("connection refused")

    monkeypatch.setattr("propdesk.core.views.connection", DownConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


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
