"""住这儿 installable, through the test client: the manifest and its icons, the service worker served at /my/sw.js,
the offline page it keeps (nobody's data on it), the resident pages linking them, the sign-out that clears the phone
and the weight of every resident page (bytes, never time: bench/resident_pages.py measures time)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, get_resolver, reverse
from PIL import Image

from .helpers import full_story, sh

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 300 * 1024  # every resident page, HTML with everything it loads (issue 11, Deliver 7)


def static_file(url: str) -> str:
    assert url.startswith("/static/"), url
    found = finders.find(url.removeprefix("/static/"))
    assert found, url
    return found


def test_the_manifest_names_the_app_and_opens_on_my_home(client):
    response = client.get(reverse("portal:manifest"))
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"]) == ("住这儿", "住这儿")
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/my/", "/my/", "standalone")
    assert manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        with Image.open(static_file(icon["src"])) as image:  # committed as static files, real PNGs of that size
            assert image.format == "PNG" and icon["type"] == "image/png"
            sizes[icon["sizes"]] = image.size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_the_service_worker_controls_my_pages_and_precaches_the_shell(client):
    response = client.get(reverse("portal:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/my/" and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", body).group(1))
    assert config["scope"] == "/my/" and config["offline"] == reverse("portal:offline")
    assert reverse("portal:offline") in config["shell"] and config["pages"] == []  # no resident page is kept
    for url in config["shell"]:
        if url.startswith("/static/"):
            static_file(url)  # every precached file exists: one missing would fail the worker's install
    assert not any(url.startswith("/api/") for url in config["shell"])
    assert 'indexOf("/api/") === 0) return' in body  # the API passes by the worker, never cached


def test_the_worker_changes_when_a_shell_file_does(client, settings, tmp_path):
    before = client.get(reverse("portal:service_worker")).content
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "portal.css").write_text("/* changed */ body{}")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]  # the finders now find the changed file
    after = client.get(reverse("portal:service_worker")).content
    assert before != after


def test_the_offline_page_says_there_is_no_network_and_shows_nobody(world, login):
    client = login(world.users["resident_a"])
    response = client.get(reverse("portal:offline"))
    html = response.content.decode()
    assert response.status_code == 200 and "当前没有网络" in html
    assert world.residents["a_owner"].name not in html and "csrfmiddlewaretoken" not in html


def test_resident_pages_link_the_app_and_staff_pages_do_not(world, login):
    full_story(world, start=sh(2026, 3, 18, 9, 0))
    resident = login(world.users["resident_a"])
    home = resident.get(reverse("portal:home")).content.decode()
    assert '<link rel="manifest" href="/my/manifest.webmanifest">' in home
    assert 'data-sw="/my/sw.js" data-scope="/my/"' in home
    assert "offline-actions.js" not in home  # the technician's queue is not the resident's
    agent = login(world.users["agent_a"]).get(reverse("servicedesk:request_list")).content.decode()
    assert 'rel="manifest"' not in agent


def test_sign_out_tells_the_browser_to_clear_caches_and_storage(world, login):
    client = login(world.users["resident_a"])
    response = client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.get(reverse("login"))


# --- page weight ------------------------------------------------------------------------------------------

class Assets(HTMLParser):
    """The same-origin files a page makes the browser load: stylesheets, scripts, images, the manifest, icons."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "img" and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") in ("stylesheet", "manifest", "icon") and attrs.get("href"):
            self.urls.append(attrs["href"])


def page_weight(client, url: str) -> tuple[int, dict[str, int]]:
    """Bytes of the page and everything it loads, uncompressed (what goes over the wire is less)."""
    response = client.get(url)
    assert response.status_code == 200, url
    sizes = {url: len(response.content)}
    parser = Assets()
    parser.feed(response.content.decode())
    pending = list(parser.urls)
    while pending:
        asset = pending.pop()
        if asset in sizes:
            continue
        if asset.startswith("/static/"):
            with open(static_file(asset), "rb") as handle:
                sizes[asset] = len(handle.read())
        else:
            answer = client.get(asset)
            assert answer.status_code == 200, asset
            sizes[asset] = len(answer.content)
            if asset.endswith(".webmanifest"):  # the browser fetches the icons it names
                pending += [icon["src"] for icon in json.loads(answer.content)["icons"]]
    return sum(sizes.values()), sizes


def resident_pages(request_id: int) -> list[str]:
    """Every page of the resident's app that a GET shows: those without parameters and those of one request."""
    urls = []
    for pattern in get_resolver("propdesk.portal.urls").url_patterns:
        if not isinstance(pattern, URLPattern) or pattern.name in ("manifest", "service_worker"):
            continue
        converters = pattern.pattern.converters
        try:
            if not converters:
                urls.append(reverse(f"portal:{pattern.name}"))
            elif set(converters) == {"pk"}:
                urls.append(reverse(f"portal:{pattern.name}", kwargs={"pk": request_id}))
        except Exception:  # noqa: BLE001 — a route needing other parameters is not a page of one request
            continue
    return urls


def test_every_resident_page_weighs_under_300_kb(world, login):
    request = full_story(world, start=sh(2026, 3, 18, 9, 0))
    client = login(world.users["resident_a"])
    pages = resident_pages(request.pk)
    assert {reverse("portal:home"), reverse("portal:request_detail", args=[request.pk])} <= set(pages)
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue  # a redirect (nothing to rate yet) or a download is no page of its own
        total, sizes = page_weight(client, url)
        assert total < PAGE_BUDGET, (url, total, sorted(sizes.items(), key=lambda item: -item[1])[:5])
