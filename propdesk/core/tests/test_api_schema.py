import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings, Phase

from propdesk.core.testing import build_world
from propdesk.staff.models import ApiToken


from config.api import api
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = get_wsgi_application()


@pytest.fixture
def token(db):
    world = build_world()
    _t, raw = ApiToken.issue(user=world.users["admin"], name="fuzz")
    return raw


@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case, token):
    from schemathesis.checks import not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
