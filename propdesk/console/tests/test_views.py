from django.conf import settings
from django.urls import reverse


def test_console_is_chinese_by_default_even_for_an_english_browser(world, login):
    client = login(world.users["agent_a"])
    body = client.get(reverse("home"), headers={"Accept-Language": "en-US,en"}).content.decode()
    assert "工作台" in body and "客户档案" in body


def test_the_english_switch_turns_the_console_english(world, login):
    client = login(world.users["agent_a"])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(reverse("home")).content.decode()
    assert "Workbench" in body and "Customer archive" in body


def test_an_english_visitor_leaves_the_thread_in_chinese(world, login):
    """Work done after a request in the same thread (an in-process job, a report period) speaks the site's
    language, not the last visitor's choice."""
    from datetime import date

    from django.utils import translation

    from propdesk.reports.periods import parse_period

    client = login(world.users["agent_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Workbench" in client.get(reverse("home")).content.decode()
    assert translation.get_language() == "zh-hans"
    assert parse_period({"month": "2026-10"}, today=date(2026, 11, 22)).label == "2026年10月"


def test_navigation_follows_the_role(world, login):
    pm = login(world.users["pm_a"]).get(reverse("home")).content.decode()
    assert reverse("org:import") in pm
    technician = login(world.users["technician_a"]).get(reverse("home"), follow=True).content.decode()
    assert reverse("org:import") not in technician and reverse("customers:resident_list") in technician


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_every_static_file_the_layout_links_is_found():
    from django.contrib.staticfiles import finders

    for path in ("propdesk/app.css", "django_htmx/htmx-2.min.js", "ninja/swagger-ui-bundle.js"):
        assert finders.find(path), path
