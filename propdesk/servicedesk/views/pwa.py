"""助这儿, the technician's installable app: the manifest (opens on 我的工单), the service worker at /desk/sw.js and
its offline page. The worker keeps the last copy of the technician's own pages (my orders, a work order) for use
without network; the actions taken there are queued by static/servicedesk/offline-actions.js. No sign-in, no data."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.core.pwa import manifest_response, service_worker_response

APP_NAME = "助这儿"  # the technician's app, named after the residents' 住这儿; not translated
THEME = "#0b3d2e"
ICONS = {192: "servicedesk/icons/zhuzher-desk-192.png", 512: "servicedesk/icons/zhuzher-desk-512.png"}
# The pages kept for offline use: the technician's list and their work orders (not the console's other pages).
KEPT_PAGES = (r"^/desk/orders/mine/$", r"^/desk/orders/\d+/$")


def manifest(request):
    return manifest_response(name=APP_NAME, short_name=APP_NAME, start_url=reverse("servicedesk:my_orders"),
                             scope=reverse("servicedesk:dispatch_queue"), theme=THEME,
                             description=_("My work orders: accept, arrive, hold and complete, also without network."),
                             icons=ICONS)


def service_worker(request):
    return service_worker_response(app="desk", scope=reverse("servicedesk:dispatch_queue"),
                                   offline_url=reverse("servicedesk:offline"), pages=KEPT_PAGES,
                                   shell=("servicedesk/offline-actions.js", *ICONS.values()))


def offline(request):
    return render(request, "pwa/offline.html", {"app_name": APP_NAME, "theme": THEME, "desk": True,
                                                "start_url": reverse("servicedesk:my_orders")})
