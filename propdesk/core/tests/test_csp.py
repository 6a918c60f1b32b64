"""Content-Security-Policy (issue 10, hole 10): every page carries an enforcing policy, and the console, the resident's
pages and the admin run under it with nothing refused (no inline handler, no javascript: link, no un-nonced script)."""

import re

import pytest
from django.urls import reverse

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.core.testing import PASSWORD

DIRECTIVES = ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
              "frame-ancestors 'none'", "img-src 'self' data: blob:"]


def _policy(response) -> str:
    return response["Content-Security-Policy"]


def test_pages_carry_an_enforcing_policy_with_the_nonce_of_their_scripts(world, client, login):
    response = client.get("/login/")
    policy = _policy(response)
    for directive in DIRECTIVES:
        assert directive in policy
    assert "Content-Security-Policy-Report-Only" not in response
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert script_src[0] == "'self'" and "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonce = re.fullmatch(r"'nonce-([\w-]+)'", script_src[1]).group(1)

    html = login(world.users["agent_a"]).get(reverse("servicedesk:intake")).content.decode()
    # Inline scripts carry this response's nonce; the next response has another.
    nonces = set(re.findall(r'<script[^>]* nonce="([^"]+)"', html))
    assert len(nonces) == 1 and nonce not in nonces
    assert not re.search(r"\son[a-z]+=|javascript:", html)


def test_the_api_and_the_error_pages_carry_it_too(world, client):
    assert "default-src 'self'" in _policy(client.get("/api/org/projects"))
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "frame-ancestors 'none'" in _policy(response)


CSP_WORDS = ("Content Security Policy", "Content-Security-Policy")


@pytest.mark.browser
@requires_chromium
@pytest.mark.django_db(transaction=True)
def test_key_pages_run_with_nothing_refused_by_the_policy(live_server, world):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=world.users["admin"].pk).update(is_superuser=True)
    with browser_page() as page:
        refused = []
        page.on("console", lambda message: refused.append(message.text)
                if any(word in message.text for word in CSP_WORDS) else None)
        page.on("pageerror", lambda error: refused.append(f"page error: {error}"))
        # The browser's own report of each refusal, whatever the console says.
        page.add_init_script("window.__refused = []; document.addEventListener('securitypolicyviolation', "
                             "e => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));")
        visited = []

        def visit(path):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            visited.append((path, page.evaluate("window.__refused")))

        def sign_in(username):
            page.context.clear_cookies()
            visit("/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")

        sign_in("agent_a")
        visit("/desk/intake/")
        # The page's nonced script runs: the complaint fields show only for a complaint.
        assert page.locator("#complaint-fields").is_hidden()
        page.check("input[name=kind][value=complaint]")
        assert page.locator("#complaint-fields").is_visible()
        visit("/no/such/page/")  # the error page's back link is bound by the static script

        sign_in("pm_a")
        visit(reverse("reports:complaint_summary") + "?month=2026-10")
        # behaviours.js (static) runs: the period picker disables the inputs of the other period types.
        assert page.locator("[data-period-picker] input[name=week]").is_disabled()
        assert page.locator("[data-period-picker] input[name=month]").is_enabled()

        sign_in("resident_a")
        visit("/my/")
        assert page.locator("#portal-home").is_visible()

        sign_in("admin")
        for path in ("/admin/", "/admin/core/auditlog/", "/admin/auth/user/add/"):
            visit(path)
        assert page.locator("#user_form").is_visible()
        visit("/api/docs")
        page.wait_for_selector("#swagger-ui .info", timeout=15000)

    assert all(not found for _, found in visited), visited
    assert refused == [], refused


INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']|href\s*=\s*["']\s*javascript:""", re.I)
SCRIPT_WITHOUT_NONCE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)


def test_no_template_has_an_inline_handler_or_a_script_without_the_nonce():
    """The policy refuses onclick=…, javascript: links and inline scripts without the nonce: a template that has one
    is broken in the browser (the token page's onfocus was, until this test)."""
    from pathlib import Path

    import propdesk

    problems = []
    for template in Path(propdesk.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_HANDLER, SCRIPT_WITHOUT_NONCE):
            problems += [f"{template.relative_to(Path(propdesk.__file__).parent)}: {m.group(0)!r}"
                         for m in pattern.finditer(text)]
    assert not problems, "\n".join(problems)
