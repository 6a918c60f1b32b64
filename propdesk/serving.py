"""What `propdesk serve` checks before it listens, and how it tells waitress whom to believe.

Production (DEBUG off) starts only with a fit SECRET_KEY and the system checks passing (`check --deploy`), and with the
static files collected at build time (`propdesk collectstatic`). The local demo (DEBUG=1) listens on the loopback only.
Behind a reverse proxy, waitress takes the scheme, the client's address and the host from the X-Forwarded-* headers of
the TRUSTED_PROXY peers only and strips them from everyone else.
"""

import ipaddress

from django.conf import settings

COLLECT_COMMAND = "propdesk collectstatic --noinput"


class StartupRefused(Exception):
    """A reason not to start, worded for the operator."""


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_mode(host: str) -> None:
    """DEBUG=1 is the local demo: debug pages show code, SQL and settings, so it listens on the loopback only."""
    if settings.DEBUG and not is_loopback(host):
        raise StartupRefused(
            f"DEBUG is on, and debug pages show code, SQL and settings to anyone who can reach {host}. DEBUG=1 is for "
            "the local demo on 127.0.0.1 only; in production leave DEBUG unset (or 0) and set SECRET_KEY, "
            "ALLOWED_HOSTS and TRUSTED_PROXY (see the README, 'In production').")
    if not settings.DEBUG and not _secret_key():
        raise StartupRefused(
            "SECRET_KEY is not set. In production export SECRET_KEY with a random value of at least 50 characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))'). For the local demo run ./dev demo "
            "(or DEBUG=1 propdesk serve), which keeps a generated key in var/secret_key.")
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        raise StartupRefused(
            "ALLOWED_HOSTS is empty, so every request would be refused (400). Set it to the names the site is reached "
            "by, comma-separated, e.g. ALLOWED_HOSTS=propdesk.example.com.")


def _secret_key() -> str:
    from django.core.exceptions import ImproperlyConfigured

    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:
        return ""


def run_system_checks() -> None:
    """Production runs `check --deploy` (propdesk.E001 rejects a published or weak key); the demo the plain checks.
    Errors refuse the start; warnings are printed and the server starts."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=not settings.DEBUG, fail_level="ERROR")
    except SystemCheckError as exc:
        raise StartupRefused(str(exc).strip()) from None


def check_static_files() -> None:
    """With DEBUG off the static files are served from what `collectstatic` wrote at build time (hashed names from
    its manifest); serve no longer collects them at every start. Missing or older than the code: refuse, naming the
    command (otherwise every page would fail on its first {% static %})."""
    from django.apps import apps
    from django.contrib.staticfiles.finders import get_finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    manifest = staticfiles_storage.manifest_name
    if not staticfiles_storage.exists(manifest):
        raise StartupRefused(
            f"The static files are not collected (no {manifest} in {settings.STATIC_ROOT}). Run `{COLLECT_COMMAND}` "
            "as part of the build or deployment (`./dev setup` does it when DEBUG is off), then start again.")
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = {path.replace("\\", "/") for finder in get_finders() for path, _storage in finder.list(ignore)}
    missing = sorted(found - set(staticfiles_storage.hashed_files))
    if missing:
        raise StartupRefused(
            f"The collected static files in {settings.STATIC_ROOT} are older than the code: {len(missing)} file(s) "
            f"are not in {manifest} (e.g. {missing[0]}). Run `{COLLECT_COMMAND}` again, then start.")


# --- the trusted proxy ------------------------------------------------------------------------------------------


def _trusted_networks(entries: list[str]) -> list:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise StartupRefused(f"TRUSTED_PROXY: {entry!r} is not an IP address or network (e.g. 127.0.0.1, "
                                 "10.0.0.0/8; several separated by commas; or * for every peer).") from None
    return networks


def proxy_options(app):
    """(application, waitress options) for settings.TRUSTED_PROXY.

    Nothing set: waitress strips every X-Forwarded-* header (a direct client cannot claim https or another address).
    One address or "*": waitress's own trusted_proxy. Several addresses or a network (a container network): the same
    waitress translation, chosen per request by the peer's address; every other peer's headers are stripped.
    """
    from waitress.adjustments import KNOWN_PROXY_HEADERS
    from waitress.proxy_headers import proxy_headers_middleware

    entries = list(settings.TRUSTED_PROXY)
    headers = {header.lower() for header in settings.TRUSTED_PROXY_HEADERS}
    count = settings.TRUSTED_PROXY_COUNT
    if not entries:
        return app, {"clear_untrusted_proxy_headers": True}
    unknown = headers - KNOWN_PROXY_HEADERS
    if not headers or unknown:
        known, given = ", ".join(sorted(KNOWN_PROXY_HEADERS)), " ".join(sorted(headers)) or "none"
        raise StartupRefused(f"TRUSTED_PROXY_HEADERS must name the headers the proxy sets, among {known} (default "
                             f"'x-forwarded-proto x-forwarded-for x-forwarded-host'); got {given}.")
    if entries == ["*"] or (len(entries) == 1 and "/" not in entries[0]):
        if entries != ["*"]:
            _trusted_networks(entries)
        return app, {"trusted_proxy": entries[0], "trusted_proxy_count": count,
                     "trusted_proxy_headers": headers, "clear_untrusted_proxy_headers": True}
    networks = _trusted_networks(entries)
    trusted = proxy_headers_middleware(app, trusted_proxy="*", trusted_proxy_count=count,
                                       trusted_proxy_headers=headers, clear_untrusted=True)
    untrusted = proxy_headers_middleware(app, trusted_proxy=None, clear_untrusted=True)

    def choose(environ, start_response):
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        believed = peer is not None and any(peer in network for network in networks)
        return (trusted if believed else untrusted)(environ, start_response)

    # waitress must not strip the headers before the choice is made: the two paths above do it.
    return choose, {"clear_untrusted_proxy_headers": False}
