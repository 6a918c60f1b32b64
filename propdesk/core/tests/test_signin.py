"""Sign-in under brute force, from the outside: the sign-in form and the admin's lock a user name out from one
address after 5 failures for 15 minutes (django-axes, counted in the database), with a 429 page in Chinese; the
address is REMOTE_ADDR (a forged X-Forwarded-For changes nothing); and a user name that does not exist costs the
same password hashing as a wrong password for one that does."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from propdesk.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
WRONG = "not-the-password"


def sign_in(client, username, password, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_five_wrong_passwords_lock_the_user_name_from_that_address_for_15_minutes(world):
    client = Client()
    for _ in range(4):
        refused = sign_in(client, "agent_a", WRONG)
        assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert sign_in(client, "agent_a", WRONG).status_code == 429  # the 5th failure locks
    locked = sign_in(client, "agent_a", PASSWORD)  # even the right password, now
    html = locked.content.decode()
    assert locked.status_code == 429 and 'id="locked-out"' in html and "15" in html
    assert "登录" in html and locked["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    # A header the client writes does not make another address: axes reads REMOTE_ADDR only.
    assert sign_in(Client(), "agent_a", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert sign_in(Client(), "agent_a", PASSWORD, HTTP_USER_AGENT="another browser").status_code == 429
    # The colleague at another address, and another user name from this one, are not locked out.
    assert signed_in(sign_in(Client(REMOTE_ADDR="10.0.0.2"), "agent_a", PASSWORD))
    assert signed_in(sign_in(Client(), "technician_a", PASSWORD))
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5), tick=False):
        assert signed_in(sign_in(Client(), "agent_a", PASSWORD))


def test_a_resident_is_locked_out_the_same_way(world):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "resident_a", WRONG).status_code == 200
    assert sign_in(client, "resident_a", WRONG).status_code == 429
    assert sign_in(client, "resident_a", PASSWORD).status_code == 429


def test_the_admin_sign_in_locks_out_too(world):
    client = Client()
    url = reverse("admin:login")
    for _ in range(4):
        assert sign_in(client, "agent_a", WRONG, url=url).status_code == 200
    assert sign_in(client, "agent_a", WRONG, url=url).status_code == 429
    locked = sign_in(client, "agent_a", PASSWORD, url=url)
    assert locked.status_code == 429 and 'id="locked-out"' in locked.content.decode()


def test_a_successful_sign_in_clears_the_count(world):
    client = Client()
    for _ in range(4):
        sign_in(client, "agent_a", WRONG)
    assert signed_in(sign_in(client, "agent_a", PASSWORD))
    client.logout()
    for _ in range(4):
        assert sign_in(client, "agent_a", WRONG).status_code == 200
    assert signed_in(sign_in(client, "agent_a", PASSWORD))


@pytest.fixture
def hashings(monkeypatch):
    """How many times the password hasher ran (the slow part of a sign-in, the one a stopwatch would see)."""
    calls = []
    encode = PBKDF2PasswordHasher.encode

    def counting(self, password, salt, iterations=None):
        calls.append(password)
        return encode(self, password, salt, iterations)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", counting)
    return calls


def test_an_unknown_user_name_costs_the_same_hashing_as_a_wrong_password(world, hashings):
    world.users["technician_a"].is_active = False
    world.users["technician_a"].save(update_fields=["is_active"])
    answers = {}
    for username in ("agent_a", "nobody-of-that-name", "technician_a"):  # known, unknown, known but inactive
        hashings.clear()
        response = sign_in(Client(), username, WRONG)
        answers[username] = (len(hashings), response.status_code, response.context["form"].non_field_errors())
    assert answers["agent_a"][0] == 1
    assert answers["agent_a"] == answers["nobody-of-that-name"] == answers["technician_a"]


def test_a_locked_out_sign_in_does_not_hash_at_all_known_or_not(world, hashings):
    for username in ("agent_a", "nobody-of-that-name"):
        client = Client()
        for _ in range(5):
            sign_in(client, username, WRONG)
        hashings.clear()
        assert sign_in(client, username, WRONG).status_code == 429
        assert hashings == []
