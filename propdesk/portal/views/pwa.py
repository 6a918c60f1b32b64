"""住这儿 installable: the manifest, the service worker (at /my/sw.js, so that it controls /my/) and the offline page
it keeps. None of them needs a sign-in or shows anyone's data."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.core.pwa import manifest_response, service_worker_response

from ..context_processors import RESIDENT_THEME

APP_NAME = "住这儿"  # the app's name, as residents know Vanke's; not translated
ICONS = {192: "portal/icons/zhuzher-192.png", 512: "portal/icons/zhuzher-512.png"}


def manifest(request):
    home = reverse("portal:home")
    return manifest_response(name=APP_NAME, short_name=APP_NAME, start_url=home, scope=home, theme=RESIDENT_THEME,
                             description=_("Report, follow and rate your requests to the property service center."),
                             icons=ICONS)


def service_worker(request):
    return service_worker_response(app="resident", scope=reverse("portal:home"), offline_url=reverse("portal:offline"),
                                   shell=("portal/portal.css", *ICONS.values()))


def offline(request):
    return render(request, "pwa/offline.html", {"app_name": APP_NAME, "theme": RESIDENT_THEME,
                                                "start_url": reverse("portal:home"), "desk": False})
