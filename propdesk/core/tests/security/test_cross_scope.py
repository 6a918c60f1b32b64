"""Every route, requested by every role of project A and anonymously with another scope's ids: no answer shows that
scope's data or is a 5xx; an object of another scope is a 404 (403 without the capability, the sign-in page when
anonymous); and nothing of the other scopes changes. One test per route; its failure lists each role and call.

The control beside each object route requests project A's own object the same way as A's company admin: the route
must find it. Otherwise a 404 with B's id would prove nothing (a path filled with the wrong kind of id is a 404 too).
"""

import pytest

from .check import admin_calls, api_call, judge, page_calls, send, to_login
from .discovery import api_operations, url_patterns
from .routes import API, PAGES
from .snapshot import differences, snapshot
from .world import ROLES

# Optional routes (the DEBUG media route) are checked where they can be made to exist: test_attachments_and_links.
PAGE_KEYS = sorted(key for key, page in url_patterns().items()
                   if not page.is_admin and key in PAGES and not PAGES[key].optional)
API_KEYS = sorted(key for key in api_operations() if key in API)
ADMIN_KEYS = sorted(key for key, page in url_patterns().items() if page.is_admin)
ADMIN_PUBLIC = {"admin:login", "admin:logout"}  # the admin's own sign-in and sign-out pages


@pytest.fixture(scope="module")
def before(security_world, django_db_blocker):
    with django_db_blocker.unblock():
        return snapshot(security_world.scopes[t] for t in ("b", "c", "z"))


def _unchanged(security_world, before, route) -> list[str]:
    if route.kind != "object" and route.body is None:
        return []  # a list read with GET only
    changed = differences(before, snapshot(security_world.scopes[t] for t in ("b", "c", "z")))
    return [f"other scopes' rows changed: {', '.join(changed)}"] if changed else []


def _run(security_world, as_role, calls_for, route, *, api: bool) -> list[str]:
    problems = []
    for role in ROLES:
        scope = security_world.target(role)
        calls = calls_for(scope)
        if route.mixed is not None:
            calls += calls_for(scope, own=security_world.scopes["a"])
        for call in calls:
            response = send(as_role(role), call)
            why = judge(response, route=route, role=role, scope=scope, method=call.method, api=api,
                        mixed=call.mixed)
            if why:
                problems.append(f"{role} → {call}: {why}")
    return problems


def _control(security_world, as_role, calls_for, route) -> list[str]:
    if route.kind != "object" or not route.control:
        return []
    problems = []
    for call in calls_for(security_world.scopes["a"]):
        status = send(as_role(f"control:{route.control}"), call).status_code
        if status in (404, 422) or status >= 500:
            problems.append(f"control: {route.control} of A → {call} with A's own object answered {status}; the "
                            f"entry does not fill the path with the object the route looks up")
    return problems


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_page(key, security_world, as_role, before):
    page, route = url_patterns()[key], PAGES[key]
    calls_for = lambda scope, own=None: page_calls(page, route, scope, own)  # noqa: E731
    problems = _run(security_world, as_role, calls_for, route, api=False)
    problems += _unchanged(security_world, before, route)
    problems += _control(security_world, as_role, calls_for, route)
    assert not problems, f"{key}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("key", API_KEYS)
def test_api(key, security_world, as_role, before):
    route = API[key]
    calls_for = lambda scope, own=None: [api_call(key, route, scope, own)]  # noqa: E731
    problems = _run(security_world, as_role, calls_for, route, api=True)
    problems += _unchanged(security_world, before, route)
    problems += _control(security_world, as_role, calls_for, route)
    assert not problems, f"{key}:\n  " + "\n  ".join(problems)


def test_admin_site(security_world, as_role):
    """Django's admin is the superuser's: every other role is sent to the admin sign-in or refused (403), whatever
    object of another scope the path names; A's company admin (staff, not superuser) has no model permissions."""
    pages = url_patterns()
    problems = []
    for key in ADMIN_KEYS:
        for role in ROLES:
            scope = security_world.target(role)
            for call in admin_calls(pages[key], scope):
                response = send(as_role(role), call)
                why = judge(response, route=PAGES["home"], role=role, scope=scope, method="GET", api=False)
                if why is None and key not in ADMIN_PUBLIC and role != "admin":
                    if response.status_code == 200:
                        why = "answered 200 to a non-staff user"
                    elif response.status_code == 302 and not to_login(response):
                        why = f"redirected to {response['Location']}"
                if role == "admin" and "object_id" in call.url_kwargs and response.status_code == 200:
                    why = "A's company admin (staff, no model permissions) opened another company's object"
                if why:
                    problems.append(f"{key} as {role} → {call}: {why}")
    assert not problems, "\n".join(problems)
