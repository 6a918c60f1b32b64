import functools
import logging
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process is up and answers. Nothing else is asked (no database): a load balancer or supervisor
    that restarts on a failed liveness check must not restart every web process because the database is down."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: may this process take requests? The database answers and every migration is applied (a process
    started before ``migrate`` finished is not ready). 503 with what is missing otherwise. The workers are not asked:
    the web serves without them; their heartbeat is on the operations page and in /metrics."""
    checks = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means not ready
        log.error("readiness: database unavailable", extra={"error": str(exc)})
        checks.update(database="unavailable", migrations="unknown")
    else:
        try:
            missing = unapplied_migrations()
        except Exception as exc:  # e.g. no django_migrations table yet
            log.error("readiness: migrations unknown", extra={"error": str(exc)})
            missing = None
        if missing is None:
            checks["migrations"] = "unknown"
        elif missing:
            checks["migrations"] = f"{missing} unapplied"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


@functools.cache
def _migration_leaves() -> tuple[frozenset, dict]:
    """The migrations on disk, read once per process (they do not change under a running process): every node of
    the graph, and what each squashed migration replaces."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes), dict(loader.replacements)


def unapplied_migrations() -> int:
    """How many migrations on disk the database has not applied: one query (django_migrations)."""
    from django.db.migrations.recorder import MigrationRecorder

    nodes, replacements = _migration_leaves()
    applied = set(MigrationRecorder(connection).applied_migrations())
    return sum(1 for key in nodes if key not in applied
               and not (key in replacements and all(r in applied for r in replacements[key].replaces)))


# --- error pages (config/urls.py: handler400, handler403, handler404, handler500) -------------------------
#
# The console's pages answer an error with the console's layout, in the user's language, with a way back; the
# JSON API (/api/…) answers {"message", "extra"} as its own handlers do. The 500 page needs neither the database
# nor the context processors: whatever broke may be what they need.

ERRORS = {
    400: (_("Bad request"), _("The request could not be understood. Check the address or go back and try again.")),
    403: (_("No access"), _("Your role does not include this page. If your work needs it, ask your administrator.")),
    404: (_("Page not found"), _("This page does not exist, or it is not in your scope (another project or "
                                 "branch). Check the address or go back.")),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _back_url(request) -> str:
    """The page the user came from when it is one of ours, else "" (the page offers history.back())."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure())
    except DisallowedHost:
        return ""
    return referer if safe and urlsplit(referer).path != request.path else ""


# The API's words for the same errors, as config/api.py's handlers give them (a JSON client asks for an object,
# not a page).
API_ERRORS = {
    400: _("The request is not valid."),
    403: _("Your role may not do this."),
    404: _("Not found."),
}


def _error_page(request, status: int, *, fields: list[str] | None = None, detail: str = "") -> HttpResponse:
    title, message = ERRORS[status]
    if _is_api(request):
        extra = {"fields": {field: [str(detail)] for field in fields}} if fields else {}
        return JsonResponse({"message": str(API_ERRORS[status]), "extra": extra}, status=status)
    if fields:
        message = f"{detail} ({', '.join(fields)})"
    context = {"status": status, "title": title, "message": message, "back_url": _back_url(request)}
    try:
        return render(request, "errors/error.html", context, status=status)
    except Exception:  # the layout needs what may be missing (a bad host, no database): the plain page
        log.exception("error page: rendering the layout failed")
        return HttpResponse(loader.get_template("500.html").render({**context, "csp_nonce": get_nonce(request)}),
                            status=status)


def bad_request(request, exception=None, *, fields: list[str] | None = None, detail: str = ""):
    return _error_page(request, 400, fields=fields, detail=detail)


def permission_denied(request, exception=None):
    return _error_page(request, 403)


def page_not_found(request, exception=None):
    return _error_page(request, 404)


def server_error(request):
    """No context processors, no database: a page that renders whatever broke."""
    if _is_api(request):
        return JsonResponse({"message": str(_("Server error: the problem has been logged; please try again.")),
                             "extra": {}}, status=500)
    # The nonce lets the page's own <style> and back-link script past the Content-Security-Policy.
    return HttpResponse(loader.get_template("500.html").render({"status": 500, "csp_nonce": get_nonce(request)}),
                        status=500)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the static file (hashed in production)."""
    response = redirect(static("propdesk/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
