"""Lockouts and rate limits hold across processes (PostgreSQL): two web processes, started at the same instant,
each try wrong passwords for one user name, or wrong completion codes for one work order, and the two together get
no more tries than one process alone would."""

import json
import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.models import Sum

from propdesk.servicedesk.services.workorders import workorder_send_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CODE = "246810"

# Each process: set Django up, say "ready", wait for the go file, then make its tries and print their statuses.
CHILD = r"""
import json, os, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client

mode, go, tries = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = Client()
if mode == "code":
    client.force_login(get_user_model().objects.get(username="technician_a"))
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.005)
statuses = []
for i in range(tries):
    if mode == "login":
        response = client.post("/login/", {"username": "agent_a", "password": f"guess-{os.getpid()}-{i}"})
    else:
        response = client.post(f"/api/desk/work-orders/{sys.argv[4]}/actions/complete",
                               {"result": "done", "confirmation_code": f"{os.getpid() % 1000:03d}{i:03d}"},
                               content_type="application/json")
    statuses.append(response.status_code)
print(json.dumps(statuses), flush=True)
"""


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two processes share the counts only through a real database server (CI runs "
                    "this on PostgreSQL)")


def run_two(tmp_path: Path, *args: str) -> list[int]:
    """Run CHILD in two processes against this test database, released together; their statuses, merged."""
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "PYTHONPATH": str(settings.BASE_DIR)}
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    go = tmp_path / "go"
    children = [subprocess.Popen([sys.executable, "-c", CHILD, args[0], str(go), *args[1:]], env=env,
                                 cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    statuses = []
    for child in children:
        out, _err = child.communicate(timeout=120)
        assert child.returncode == 0
        statuses += json.loads(out.strip().splitlines()[-1])
    return statuses


def test_two_processes_guessing_one_password_get_five_tries_together(world, tmp_path):
    from axes.models import AccessAttempt

    statuses = run_two(tmp_path, "login", "6")
    checked = AccessAttempt.objects.filter(username="agent_a").aggregate(n=Sum("failures_since_start"))["n"]
    assert checked == 5  # 12 tries, 5 of them reached the password: the 5th locked the name for both
    assert sorted(statuses) == [200] * 4 + [429] * 8


def test_two_processes_guessing_one_code_get_five_tries_together(world, tmp_path, monkeypatch):
    from propdesk.servicedesk.tests.test_billing import order

    monkeypatch.setattr("propdesk.servicedesk.services.codes.secrets.randbelow", lambda _n: int(CODE))
    wo = order(world)
    # The two processes live on the real clock, not on this test's pinned day: the code is sent at the real now.
    real_now = time_machine.escape_hatch.datetime.datetime.now(UTC)
    workorder_send_code(work_order=wo, actor=world.users["technician_a"], now=real_now)
    statuses = run_two(tmp_path, "code", "6", str(wo.pk))
    assert sorted(statuses) == [400] * 4 + [429] * 8
    wo.refresh_from_db()
    assert wo.confirmation_code_wrong == 5 and wo.status == "accepted"
