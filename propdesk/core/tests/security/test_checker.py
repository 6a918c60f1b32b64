"""The checks can fail: a leaked text, a found object, a server error and a changed row are each reported."""

import json

from django.http import HttpResponse, HttpResponseRedirect

from propdesk.servicedesk.models import ServiceRequest

from .check import judge
from .routes import coll, obj
from .snapshot import differences, snapshot


def test_an_answer_showing_another_scopes_text_is_reported(security_world, db):
    b = security_world.scopes["b"]
    leak = HttpResponse(json.dumps({"name": f"{b.query}业主"}, ensure_ascii=False), status=404)
    assert "乙机密业主" in judge(leak, route=coll(), role="agent", scope=b, method="GET", api=True)
    masked_only = HttpResponse(f"<p>{b.query}</p> 137****0001")  # the search word echoed, a masked phone
    assert judge(masked_only, route=coll(), role="agent", scope=b, method="GET", api=False) is None


def test_another_scopes_object_must_be_a_404(security_world, db):
    b, route = security_world.scopes["b"], obj(pk="request")
    assert "expected 404" in judge(HttpResponse("ok"), route=route, role="agent", scope=b, method="GET", api=False)
    assert judge(HttpResponse(status=404), route=route, role="agent", scope=b, method="GET", api=False) is None
    to_login = HttpResponseRedirect("/login/?next=/desk/requests/3/")
    assert judge(to_login, route=route, role="anonymous", scope=b, method="GET", api=False) is None
    assert judge(to_login, route=route, role="agent", scope=b, method="GET", api=False)
    assert "500" in judge(HttpResponse(status=500), route=coll(), role="agent", scope=b, method="GET", api=False)


def test_a_changed_row_of_another_scope_is_reported(security_world, db):
    scopes = [security_world.scopes[t] for t in ("b", "c", "z")]
    before = snapshot(scopes)
    ServiceRequest.objects.filter(pk=scopes[0].ids["request"]).update(description="改了")
    assert differences(before, snapshot(scopes)) == ["servicedesk.ServiceRequest (a row changed)"]
