"""Whom `propdesk serve` believes about the scheme and the client's address (TRUSTED_PROXY); the recipe end to end is
test_production_recipe.py, these are the settings' shapes waitress does not handle by itself."""

import pytest

from propdesk import serving


def _seen(app, peer, **headers):
    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", "HTTP_HOST": "propdesk.example.com",
               "SERVER_NAME": "propdesk.example.com", "SERVER_PORT": "8000",
               **{f"HTTP_{name.upper()}": value for name, value in headers.items()}}
    seen = {}

    def inner(env, start_response):
        seen.update(env)
        return [b""]

    wrapped, options = serving.proxy_options(inner)
    wrapped(environ, lambda *args: None)
    return seen, options


FORWARDED = {"x_forwarded_proto": "https", "x_forwarded_for": "203.0.113.7"}


def test_without_a_trusted_proxy_waitress_strips_the_headers(settings):
    settings.TRUSTED_PROXY = []
    _, options = _seen(lambda *a: [b""], "127.0.0.1")
    assert options == {"clear_untrusted_proxy_headers": True}


def test_one_address_goes_to_waitress_as_it_is(settings):
    settings.TRUSTED_PROXY = ["127.0.0.1"]
    wrapped, options = serving.proxy_options(object)
    assert wrapped is object
    assert options == {"trusted_proxy": "127.0.0.1", "trusted_proxy_count": 1,
                       "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"},
                       "clear_untrusted_proxy_headers": True}


def test_a_proxy_network_is_believed_and_everyone_else_stripped(settings):
    settings.TRUSTED_PROXY = ["10.0.0.5", "172.16.0.0/12"]
    seen, options = _seen(None, "172.18.0.3", **FORWARDED)
    assert options == {"clear_untrusted_proxy_headers": False}  # the choice is made per peer before stripping
    assert seen["REMOTE_ADDR"] == "203.0.113.7" and seen["wsgi.url_scheme"] == "https"

    seen, _ = _seen(None, "192.0.2.44", **FORWARDED)  # not a proxy of ours: nothing it claims is believed
    assert seen["REMOTE_ADDR"] == "192.0.2.44" and seen["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_X_FORWARDED_PROTO" not in seen


@pytest.mark.parametrize(("proxy", "headers", "message"), [
    (["nginx.internal"], ["x-forwarded-proto"], "not an IP address"),
    (["127.0.0.1"], ["x-real-ip"], "TRUSTED_PROXY_HEADERS must name"),
    (["127.0.0.1"], [], "TRUSTED_PROXY_HEADERS must name"),
])
def test_settings_waitress_cannot_use_refuse_the_start(settings, proxy, headers, message):
    settings.TRUSTED_PROXY, settings.TRUSTED_PROXY_HEADERS = proxy, headers
    with pytest.raises(serving.StartupRefused, match=message):
        serving.proxy_options(object)


def test_a_sign_in_is_audited_with_the_peer_address_and_never_a_forwarded_one(world, client):
    from propdesk.core.models import AuditAction, AuditLog
    from propdesk.core.testing import PASSWORD

    response = client.post("/login/", {"username": "agent_a", "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 302
    entry = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == world.users["agent_a"] and entry.ip == "198.51.100.4"
