import logging
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponse, JsonResponse
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
    """Liveness and readiness: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means not ready
        log.error("health check: database unavailable", extra={"error": str(exc)})
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
        return HttpResponse(loader.get_template("500.html").render(context), status=status)


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
    return HttpResponse(loader.get_template("500.html").render({"status": 500}), status=500)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the static file (hashed in production)."""
    response = redirect(static("propdesk/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
