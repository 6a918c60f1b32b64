"""The resident's and the technician's phone pages on a slow 3G connection: bytes transferred and load times.

    ./dev demo                                                     # in another shell: the demo at :8000
    .venv/bin/python bench/resident_pages.py --base http://127.0.0.1:8000
    .venv/bin/python bench/resident_pages.py --base http://127.0.0.1:8000 --report-path /my/report/

A real browser (Debian's chromium through Playwright, 390x844, zh-CN) signs in as a demo resident and a demo
technician with the sign-in form and opens, as each of them:

- the resident: /my/ (home), their first request's page, the report form (``--report-path``, else the first link on
  /my/ to a page under /my/ whose address names "report" or "new"; skipped when there is none);
- the technician: /desk/orders/mine/ (我的工单) and their first work order's page.

Every page is opened twice with the connection throttled through the DevTools protocol, on the page and on the
app's service worker alike (Network.emulateNetworkConditions, the "slow 3G" profile: 400 kbit/s down, 400 kbit/s
up, 400 ms round trip) and the CPU slowed 4x (Emulation.setCPUThrottlingRate):

- first visit: the browser's HTTP cache, the service worker and its caches emptied (the sign-in cookie kept);
- repeat visit: the same page again, the app's service worker installed and controlling the page (warm).

For each it prints the bytes that went over the network (encoded, headers included: Network.loadingFinished's
encodedDataLength, the page's requests and the service worker's own fetches during the visit; answers the worker
took from its cache cost nothing), the number of requests (and how many the worker answered from its cache without
a fetch of its own: "sw"),
DOMContentLoaded and load (Navigation Timing, from the start of the navigation). Times depend on the machine; bytes
do not: the test suite holds the resident pages under 300 KB (portal/tests/test_pwa.py), never their times.
"""

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}
CPU_SLOWDOWN = 4
PHONE = {"width": 390, "height": 844}


@dataclass
class Visit:
    bytes: int = 0
    requests: int = 0
    from_worker_cache: int = 0
    dcl_ms: float = 0.0
    load_ms: float = 0.0
    small_targets: list = field(default_factory=list)


class Meter:
    """Counts the network bytes of one visit: the page's own requests, and the fetches of the service worker (a
    target of its own, attached through the browser's DevTools session and throttled like the page)."""

    def __init__(self, context, page):
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.browser_cdp = context.browser.new_browser_cdp_session()
        self.worker_sessions: dict[str, str] = {}  # targetId → sessionId
        self.reset()
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.browser_cdp.on("Target.receivedMessageFromTarget", self._worker_message)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})

    def reset(self):
        self.page_sizes: dict[str, int] = {}
        self.served_by_worker: set[str] = set()
        self.worker_sizes: dict[str, int] = {}
        self.worker_urls: set[str] = set()
        self.page_worker_urls: set[str] = set()

    def _response(self, event):
        if event["response"].get("fromServiceWorker"):
            self.served_by_worker.add(event["requestId"])
            self.page_worker_urls.add(event["response"]["url"])

    def _finished(self, event):
        self.page_sizes[event["requestId"]] = int(event["encodedDataLength"])

    def _worker_message(self, event):
        message = json.loads(event["message"])
        if message.get("method") == "Network.requestWillBeSent":
            self.worker_urls.add(message["params"]["request"]["url"])
        if message.get("method") == "Network.loadingFinished":
            params = message["params"]
            self.worker_sizes[f"{event['sessionId']}:{params['requestId']}"] = int(params["encodedDataLength"])

    def throttle_workers(self):
        """Attach to every service worker of the browser (new ones appear after a first visit) and throttle it."""
        targets = self.browser_cdp.send("Target.getTargets")["targetInfos"]
        for target in targets:
            if target["type"] != "service_worker" or target["targetId"] in self.worker_sessions:
                continue
            session = self.browser_cdp.send("Target.attachToTarget", {"targetId": target["targetId"],
                                                                      "flatten": False})["sessionId"]
            self.worker_sessions[target["targetId"]] = session
            for number, (method, params) in enumerate((("Network.enable", {}),
                                                       ("Network.emulateNetworkConditions", SLOW_3G))):
                self.browser_cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                    {"id": 1000 + number, "method": method, "params": params})})

    def visit(self, url: str) -> Visit:
        self.throttle_workers()
        self.reset()
        self.page.goto(url, wait_until="load", timeout=180_000)
        self.page.wait_for_timeout(300)  # late answers (the worker's fetch finishing after load)
        timing = self.page.evaluate("""() => { const n = performance.getEntriesByType("navigation")[0];
            return {dcl: n.domContentLoadedEventEnd - n.startTime, load: n.loadEventEnd - n.startTime}; }""")
        # Bytes a page request cost: its own, unless the worker answered it (then the worker's fetch, counted below).
        page_bytes = sum(size for request_id, size in self.page_sizes.items()
                         if request_id not in self.served_by_worker)
        return Visit(bytes=page_bytes + sum(self.worker_sizes.values()), requests=len(self.page_sizes),
                     from_worker_cache=len(self.page_worker_urls - self.worker_urls),
                     dcl_ms=timing["dcl"], load_ms=timing["load"], small_targets=small_targets(self.page))

    def forget_everything_but_the_sign_in(self, base: str):
        origin = "{0.scheme}://{0.netloc}".format(urlparse(base))
        self.cdp.send("Network.clearBrowserCache")
        self.cdp.send("Storage.clearDataForOrigin", {"origin": origin,
                                                     "storageTypes": "service_workers,cache_storage,local_storage"})
        self.worker_sessions.clear()


def small_targets(page) -> list[str]:
    """Visible links, buttons, fields and summaries lower than 44 px (inline links inside running text excepted; a
    radio or checkbox inside its label counts as its label)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
            "a[href], button, input:not([type=hidden]), select, textarea, summary"))
        .filter(e => { const r = e.getBoundingClientRect(); if (!r.width || !r.height) return false;
            if (getComputedStyle(e).visibility === "hidden") return false;
            if (e.tagName === "A" && getComputedStyle(e).display === "inline" && e.closest("p, li, dd, td"))
                return false;
            // a radio or checkbox inside its label is tapped through the label: the label is the target
            const label = (e.type === "radio" || e.type === "checkbox") && e.closest("label");
            if (label) return label.getBoundingClientRect().height < 44;
            return r.height < 44; })
        .map(e => (e.tagName.toLowerCase() + " " + (e.innerText || e.value || e.name || "").trim()).slice(0, 40))""")


def sign_in(page, base: str, username: str, password: str):
    page.goto(urljoin(base, "/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    if "/login/" in page.url:
        sys.exit(f"could not sign in as {username} at {base}: is the demo running, and the password right?")


def first_link(page, base: str, url: str, pattern: str) -> str | None:
    page.goto(urljoin(base, url))
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    return next((urljoin(base, href) for href in hrefs if re.search(pattern, href)), None)


def wait_for_worker(page, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate("navigator.serviceWorker && navigator.serviceWorker.controller !== null"):
            return True
        page.wait_for_timeout(200)
    return False


def measure(browser, base: str, username: str, password: str, pages: list[tuple[str, str]]) -> list:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, base, username, password)
        found = []
        for label, target in pages:
            url = target() if callable(target) else urljoin(base, target)
            if url:
                found.append((label, url))
            else:
                print(f"  ({label}: not found, skipped)")
        meter = Meter(context, page)
        rows = []
        for label, url in found:
            meter.forget_everything_but_the_sign_in(base)
            first = meter.visit(url)
            warm = wait_for_worker(page)
            if warm:
                page.wait_for_timeout(1500)  # the worker's precache finishes (not counted in either visit)
            repeat = meter.visit(url)
            rows.append((label, urlparse(url).path, first, repeat, warm))
        return rows
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--resident", default="resident1")
    parser.add_argument("--technician", default="tech_cuihu")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--report-path", default="", help="the report form's path, when it is not linked from /my/")
    args = parser.parse_args()
    base = args.base.rstrip("/") + "/"

    from playwright.sync_api import sync_playwright

    print(f"slow 3G: {SLOW_3G['downloadThroughput'] * 8 / 1000:.0f} kbit/s down, "
          f"{SLOW_3G['uploadThroughput'] * 8 / 1000:.0f} kbit/s up, {SLOW_3G['latency']} ms round trip; "
          f"CPU {CPU_SLOWDOWN}x slower; 390x844")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                           "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            resident_pages = [("resident home", "/my/"),
                              ("a request", lambda: first_link_in(browser, base, args, "/my/", r"^/my/requests/\d+/$")),
                              ("report form", (lambda: urljoin(base, args.report_path)) if args.report_path else
                               lambda: first_link_in(browser, base, args, "/my/", r"^/my/[^?#]*(report|new)[^?#]*$"))]
            technician_pages = [("my work orders", "/desk/orders/mine/"),
                                ("a work order", lambda: first_link_in(browser, base, args, "/desk/orders/mine/",
                                                                       r"^/desk/orders/\d+/$", technician=True))]
            rows = measure(browser, base, args.resident, args.password, resident_pages)
            rows += measure(browser, base, args.technician, args.password, technician_pages)
        finally:
            browser.close()

    print(f"{'page':<16} {'path':<24} {'visit':<7} {'KB':>7} {'requests':>9} {'DCL ms':>8} {'load ms':>8}  "
          "targets < 44 px")
    resident_total = 0
    for label, path, first, repeat, warm in rows:
        for name, visit in (("first", first), ("repeat" if warm else "repeat*", repeat)):
            cached = f" ({visit.from_worker_cache} sw)" if visit.from_worker_cache else ""
            print(f"{label:<16} {path:<24} {name:<7} {visit.bytes / 1024:>7.1f} {str(visit.requests) + cached:>9} "
                  f"{visit.dcl_ms:>8.0f} {visit.load_ms:>8.0f}  {len(visit.small_targets)}"
                  + (f": {', '.join(visit.small_targets[:4])}" if visit.small_targets and name == "first" else ""))
        if path.startswith("/my/"):
            resident_total = max(resident_total, first.bytes)
    if not all(row[4] for row in rows):
        print("repeat*: the service worker did not take control within 60 s")
    print(f"heaviest resident page, first visit: {resident_total / 1024:.1f} KB (budget 300 KB)")


def first_link_in(browser, base, args, url, pattern, technician=False):
    """Find a page to measure (a request, a work order) in a context of its own, signed in as its user."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, base, args.technician if technician else args.resident, args.password)
        return first_link(page, base, url, pattern)
    finally:
        context.close()


if __name__ == "__main__":
    main()
