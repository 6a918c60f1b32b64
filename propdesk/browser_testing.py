"""Playwright driving Debian's chromium, for the browser tests. Nothing is downloaded: the browser is the
system's /usr/bin/chromium (installed by .ci/run with apt when missing)."""

import os
import shutil
import time
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("PROPDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM))


requires_chromium = pytest.mark.skipif(
    not chromium_available() and not os.environ.get("PROPDESK_REQUIRE_BROWSER"),
    reason=f"browser test needs Debian's chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei; "
           ".ci/run installs it)",
)


def browser_env() -> dict[str, str]:
    """The browser's environment: ours without libfaketime. CI runs the suite once more under faketime to prove no
    test depends on the date; chromium itself crashes with a faked clock, and what the pages show comes from the
    server (whose "now" the tests set), not from the browser's clock."""
    return {key: value for key, value in os.environ.items()
            if key not in ("LD_PRELOAD", "FAKETIME", "FAKETIME_NO_CACHE", "DONT_FAKE_MONOTONIC")}


@contextmanager
def browser_page(*, viewport=None, locale="zh-CN"):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are in their own
    # thread, but the test's own ORM calls would trip Django's async-safety check without this.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=browser_env())
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800}, locale=locale)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def wait_for_js(page, expression: str, timeout: float = 15) -> None:
    """``page.wait_for_function`` without eval: Playwright polls a string predicate with eval inside the page, which
    the Content-Security-Policy refuses; ``page.evaluate`` goes through the DevTools protocol, outside the policy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout} s: {expression}"
        page.wait_for_timeout(50)


PHONE = {"width": 390, "height": 844}  # the staff's and residents' phones in the browser tests
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fits(page) -> None:
    """The page does not run off the right edge of the viewport (a 390 px phone)."""
    width = page.viewport_size["width"]
    assert page.evaluate(OVERFLOW) <= 0, f"{page.url} runs off the right edge of a {width} px screen"


def sign_in(page, url: str, username: str, password: str | None = None) -> None:
    """Sign in on the password form of the live server at ``url`` (the test users' password by default)."""
    from propdesk.core.testing import PASSWORD

    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state("networkidle")
