"""The API against its own OpenAPI document, with schemathesis (issue 10): every operation, generated input both
valid and invalid, a bounded number of examples, derandomized (the same cases each run). No answer may be a 5xx,
and every answer must be one the document declares, with the declared content type and schema.

Staff (an admin of the company, who may do everything) and a resident each call every operation with a bearer
token, in the pinned test day; on PostgreSQL (CI) this is also where a NUL byte in any text would show.
Raise ``SCHEMATHESIS_EXAMPLES`` to search harder locally.
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.openapi.schema import OpenAPISchema
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from propdesk.core.testing import build_world
from propdesk.staff.models import ApiToken

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the database connection at the end of every request it serves; inside a test's transaction
    that is the test's connection (PostgreSQL then fails every later query). Django's test client disconnects the
    same signals while it calls the app; schemathesis calls the WSGI app directly."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db):
    world = build_world()
    return {role: ApiToken.issue(user=world.users[role], name="schemathesis")[1] for role in ("admin", "resident_a")}


@pytest.mark.parametrize("role", ["admin", "resident_a"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_api_answers_as_documented(case, role, tokens):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS)


def test_schema_names_are_unique(monkeypatch):
    """Ninja names a component after its class: two classes of one name (two ``PeriodOut``) silently became one
    in the document, which then described one of the answers wrongly (a report's ``label`` left out)."""
    seen: dict[str, set[str]] = {}
    original = OpenAPISchema.add_schema_definitions

    def record(self, definitions):
        for name, definition in definitions.items():
            seen.setdefault(name, set()).add(json.dumps(definition, sort_keys=True))
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    api.get_openapi_schema()
    assert {name for name, shapes in seen.items() if len(shapes) > 1} == set()


def test_every_operation_documents_its_errors():
    document = api.get_openapi_schema()
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["message", "extra"]
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            codes = {int(code) for code in operation["responses"]}
            if operation.get("security"):  # signed in; the phone sign-in itself is open to everyone
                assert {401, 403} <= codes, (method, path)
            else:  # the phone sign-in is open to everyone; the payment gateway's callback is signed instead
                assert path.startswith("/api/auth/sms-") or path == "/api/fees/gateway/callback", (method, path)
                assert 429 in codes, (method, path)
            if "{" in path:
                assert {404, 422} <= codes, (method, path)
            if "requestBody" in operation:
                assert {400, 422} <= codes, (method, path)
            if method in ("post", "put", "patch"):
                assert 409 in codes, (method, path)
    kpis = document["paths"]["/api/reports/kpis"]["get"]["responses"]
    assert kpis[200]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/KpisOut"}
    assert "label" in document["components"]["schemas"]["PeriodOut"]["required"]
