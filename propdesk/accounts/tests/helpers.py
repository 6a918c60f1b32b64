"""Helpers for the phone sign-in tests: ask for a code through the API and read it from the SMS outbox (where it sits
until the worker sends it), sign in, add homes."""

import datetime as dt
import json

import time_machine

from propdesk.core.testing import make_resident
from propdesk.notify.models import OutboxMessage

OWNER = "13812345678"  # world: 周美玲, owner of 翠湖花园 3-2-1802, signs in with a password too (resident_a)
FAMILY = "13900001111"  # world: 周子轩, family member of the same home, no login yet
OTHER_OWNER = "13712348888"  # world: 郑海燕, owner in 金桂苑
UNKNOWN = "13698765432"


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def ask_code(client, phone, **extra):
    return post(client, "/api/auth/sms-code", {"phone": phone}, **extra)


def last_code(number) -> str:
    row = OutboxMessage.objects.filter(template="signin_code", to=number).order_by("-id").first()
    assert row is not None, f"no code texted to {number}"
    return row.params["code"]


def sign_in(client, phone, *, home=None, **extra):
    assert ask_code(client, phone, **extra).status_code == 200
    body = {"phone": phone, "code": last_code("".join(ch for ch in phone if ch.isdigit())[-11:])}
    if home is not None:
        body["home"] = home
    return post(client, "/api/auth/sms-login", body, **extra)


def second_home(world, *, phone=OWNER):
    """The same person also lives in 金桂苑 (the archive keeps one record per project)."""
    resident = make_resident(world.project_b, "周美玲", phone, world.room(world.project_b, "5-1-201"))
    return resident.occupancies.get()


def later(**delta):
    """A minute or more on (the next code for a phone is refused within 60 s of the last)."""
    return time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(**delta), tick=True)
