"""One world for the whole package, built once in a transaction that is rolled back at the end; each test runs in a
savepoint inside it (pytest-django's ``db``), so what a request writes is undone after its test."""

import shutil
import tempfile

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from propdesk.core.testing import TEST_NOW

from .world import build_security_world


@pytest.fixture(scope="package")
def security_world(django_db_setup, django_db_blocker):
    media = tempfile.mkdtemp(prefix="propdesk-security-")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), \
            time_machine.travel(TEST_NOW, tick=True):
        with transaction.atomic():
            world = build_security_world()
            sessions = {}
            # The roles under test, and the users of the controls (A's admin, A's resident who reported A's request).
            people = {**world.users, "control:admin": world.users["admin"],
                      "control:resident": world.scopes["a"].users["resident"]}
            for role, user in people.items():
                if user is not None:
                    client = Client()
                    client.force_login(user)
                    sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            world.sessions = sessions
            yield world
            transaction.set_rollback(True)
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture
def as_role(security_world, db):
    """``as_role(role)``: a fresh test client signed in as project A's user in that role (anonymous: none).

    Fresh for every call, so that a route that signs out or sets the language cannot leak into the next check."""

    def _client(role: str) -> Client:
        client = Client()
        if role in security_world.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = security_world.sessions[role]
        return client

    return _client
