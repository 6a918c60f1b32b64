import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from propdesk.core.views_utils import capability_required, client_ip
from propdesk.staff.rules.roles import Capability

from .metrics import metrics_text
from .selectors import operations_snapshot

log = logging.getLogger(__name__)
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")


@never_cache
@capability_required(Capability.VIEW_OPERATIONS)
def operations_page(request):
    """The admins' operations page: workers and when each was last heard, the outbox and task backlog, overdue work
    orders."""
    return render(request, "console/operations.html", {"snap": operations_snapshot()})


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics, for scrapers from METRICS_ALLOWED_IPS or bearing METRICS_TOKEN; anyone else finds
    nothing here (404)."""
    if not metrics_allowed(request):
        raise Http404
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip().encode(), token.encode()):
        return True
    if any(name in request.headers for name in FORWARDING_HEADERS):
        # Came through a proxy: on the same machine every visitor would look like 127.0.0.1. Scrapers talk to the
        # process directly; through a proxy only the token opens /metrics.
        return False
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    address = getattr(address, "ipv4_mapped", None) or address  # ::ffff:127.0.0.1 is 127.0.0.1
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


def _networks(entries: tuple[str, ...]) -> list:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            log.error("METRICS_ALLOWED_IPS: not an address or network", extra={"entry": entry})
    return networks
