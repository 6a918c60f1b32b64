"""The demo's 「手机号登录」 table: one mobile per role, and each signs in by code as that person."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from propdesk.console.demo import build_demo
from propdesk.console.demo.phones import demo_phone_logins
from propdesk.notify.models import OutboxMessage
from propdesk.staff.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_demo_prints_one_phone_per_role_and_each_signs_in(client):
    build_demo(seed=42, scale=0.02, today=date(2026, 11, 20))
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    rows = demo_phone_logins()
    assert [row.label for row in rows] == ["业主", "家属", "租户", "客服", "管家", "维修工", "项目经理"]
    assert "手机号登录" in text and all(row.phone in text for row in rows)
    assert len({row.phone for row in rows}) == len(rows)
    expected = {"业主": "resident1", "租户": "resident2", "客服": "agent_cuihu", "管家": "steward_cuihu",
                "维修工": "tech_cuihu", "项目经理": "pm_cuihu"}
    for number, row in enumerate(rows):
        address = f"10.0.0.{number + 1}"
        sent = client.post("/api/auth/sms-code", json.dumps({"phone": row.phone}), content_type="application/json",
                           REMOTE_ADDR=address)
        assert sent.status_code == 200, row
        code = OutboxMessage.objects.filter(template="signin_code", to=row.phone).get().params["code"]
        answer = client.post("/api/auth/sms-login", json.dumps({"phone": row.phone, "code": code}),
                             content_type="application/json", REMOTE_ADDR=address).json()
        assert answer["name"] == row.name
        user = ApiToken.objects.order_by("-id").first().user
        if row.label in expected:
            assert user.username == expected[row.label]
        else:  # the family member has no password login: one is made on first sign-in
            assert user.username.startswith("r") and not user.has_usable_password()
