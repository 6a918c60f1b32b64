"""Installable web apps (住这儿 for residents, 助这儿 for technicians): the web app manifest, the service worker and
the offline page, as responses the two apps' views return, and the sign-out that empties what the phone kept.

The service worker is a view, not a static file, so that it can be served at the root of the scope it controls
(/my/sw.js controls /my/) and name the static files it precaches by their production (hashed) URLs. Its body
changes whenever one of those files does (a version hash of their contents), which is how browsers notice an update.
It carries no user's data: public, like the manifest and the offline page."""

import hashlib
import json
from functools import lru_cache

from django.contrib.auth.signals import user_logged_out
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

# Chrome, Firefox and Safari take these shell files from the service worker's cache on every visit after the first.
SHELL = ("propdesk/app.css", "propdesk/behaviours.js", "propdesk/pwa.js", "django_htmx/htmx-2.min.js",
         "django_htmx/django-htmx.js")


def manifest_response(*, name: str, short_name: str, description: str, start_url: str, scope: str, theme: str,
                      icons: dict[int, str], lang: str = "zh-CN") -> JsonResponse:
    data = {
        "name": name, "short_name": short_name, "description": description, "lang": lang, "dir": "ltr",
        "start_url": start_url, "scope": scope, "id": start_url, "display": "standalone",
        "orientation": "portrait", "theme_color": theme, "background_color": "#f5f7fa",
        "icons": [{"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
                  for size, path in sorted(icons.items())],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


def _static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    try:  # collected (production): the storage has it even where the finders do not
        with staticfiles_storage.open(path) as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return b""


def _version(paths: tuple[str, ...], extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.encode() + b"\0" + _static_bytes(path))
    return digest.hexdigest()[:12]


_cached_version = lru_cache(maxsize=8)(_version)


def service_worker_response(*, app: str, scope: str, shell: tuple[str, ...], offline_url: str,
                            pages: tuple[str, ...] = ()) -> HttpResponse:
    """The service worker of one app. ``pages``: regular expressions of the paths whose last answer is kept on the
    phone for when it is offline (the technician's own orders); any other page falls back to the offline page."""
    paths = tuple(dict.fromkeys((*SHELL, *shell)))
    # Collected files (production) have names that change with their contents, and do not change under a running
    # process: the worker takes them from its cache without asking, and their hash is read once. Development's
    # files change under the server: read each time.
    hashed = isinstance(staticfiles_storage, ManifestFilesMixin)
    config = {"app": app, "scope": scope, "offline": offline_url, "pages": list(pages),
              "shell": [static(path) for path in paths] + [offline_url], "hashed": hashed}
    version = (_cached_version if hashed else _version)(paths, json.dumps(config, sort_keys=True))
    body = render_to_string("pwa/sw.js", {"config": json.dumps({**config, "version": version}, ensure_ascii=False)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"  # the browser asks each time whether a new worker is out
    return response


# --- sign-out empties the phone -------------------------------------------------------------------------------

def _mark_signed_out(sender, request, **kwargs):
    if request is not None:
        request.pwa_signed_out = True


class ClearSiteDataOnSignOut:
    """The answer to a sign-out tells the browser to drop this site's caches, storage and service workers
    (Clear-Site-Data): the pages a technician's phone kept for offline use, the queue of unsent actions and a
    resident's draft belong to the person who signed out, not to whoever uses the phone next."""

    def __init__(self, get_response):
        self.get_response = get_response
        user_logged_out.connect(_mark_signed_out, dispatch_uid="propdesk.core.pwa.signed_out")

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "pwa_signed_out", False):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
