"""Years the statutory calendar package does not know (2027 onwards with chinese-calendar 1.11): the admin enters their
holidays and adjusted working days (调休) in the console, deadlines use them at once, and until then a system check, an
admin banner and a line on each deadline in such a year say that it is counted Monday to Friday."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.checks import run_checks
from django.urls import reverse

from propdesk.servicedesk.models import HolidayCalendarDay, HolidayYear
from propdesk.servicedesk.tests.test_api import REQUESTS, bearer, post, repair

SHANGHAI = ZoneInfo("Asia/Shanghai")
PAGE = "/desk/holidays/"
NEW_YEAR_2027 = "2027-01-01~2027-01-03 元旦\n2027-02-06~2027-02-12 春节\n"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def enter(client, *, year=2027, holidays=NEW_YEAR_2027, workdays=""):
    return client.post(PAGE, {"year": year, "holidays": holidays, "workdays": workdays})


def inquiry(world, when: str) -> dict:
    """An inquiry recorded through the API at ``when``: 4 working hours to answer it (08:30–12:00, 13:30–18:00)."""
    with time_machine.travel(at(when), tick=False):
        response = post(bearer(world.users["agent_a"]), REQUESTS,
                        repair(world, kind="inquiry", description="请问明年春节期间物业前台几点上班？"))
    assert response.status_code in (200, 201), response.content
    return response.json()


def resolve_by(body: dict) -> datetime:
    return datetime.fromisoformat(body["resolve_by"]).astimezone(SHANGHAI).replace(tzinfo=None)


def test_a_deadline_crossing_new_year_skips_the_holidays_the_admin_entered(world, login):
    # Without 2027: 2 hours on 31 December (16:00–18:00), 2 more on 1 January, counted as a Friday at work.
    before = inquiry(world, "2026-12-31T16:00")
    assert resolve_by(before) == datetime(2027, 1, 1, 10, 30)
    page = login(world.users["agent_a"]).get(reverse("servicedesk:request_detail", args=[before["id"]]))
    assert "calendar-note" in page.content.decode()  # "2027年节假日未设置，按周一至周五计算"

    response = enter(login(world.users["admin"]))
    assert response.status_code == 302, response.content.decode()
    assert HolidayCalendarDay.objects.filter(day__year=2027).count() == 10

    # At once, no restart: 1–3 January are off, the remaining 2 hours fall on Monday 4 January.
    after = inquiry(world, "2026-12-31T16:00")
    assert resolve_by(after) == datetime(2027, 1, 4, 10, 30)
    page = login(world.users["agent_a"]).get(reverse("servicedesk:request_detail", args=[after["id"]]))
    assert "calendar-note" not in page.content.decode()


def test_an_adjusted_working_saturday_counts_as_working_time(world, login):
    friday = inquiry(world, "2027-02-19T16:00")
    assert resolve_by(friday) == datetime(2027, 2, 22, 10, 30)  # Monday, Saturday being a day off
    assert enter(login(world.users["admin"]), workdays="2027-02-20 春节调休").status_code == 302
    friday = inquiry(world, "2027-02-19T16:00")
    assert resolve_by(friday) == datetime(2027, 2, 20, 10, 30)  # the 调休 Saturday is worked


def warnings_about_holidays():
    return [m for m in run_checks(databases=["default"]) if m.id == "servicedesk.W001"]


@time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False)
def test_the_check_warns_for_a_missing_year_until_it_is_entered(world, login):
    (warning,) = warnings_about_holidays()
    assert "2027" in warning.msg and "/desk/holidays/?year=2027" in warning.hint
    assert enter(login(world.users["admin"])).status_code == 302
    assert warnings_about_holidays() == []


@time_machine.travel(datetime(2027, 12, 20, 10, tzinfo=SHANGHAI), tick=False)
def test_the_check_names_this_year_and_next(db):
    assert sorted(int(w.msg.split()[4].rstrip(":")) for w in warnings_about_holidays()) == [2027, 2028]


@time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False)
def test_the_banner_shows_admins_the_missing_year_until_it_is_entered(world, login):
    admin = login(world.users["admin"])
    html = admin.get(reverse("home")).content.decode()
    assert 'id="calendar-banner"' in html and "2027" in html and f'href="{PAGE}?year=2027"' in html
    enter(admin)
    assert 'id="calendar-banner"' not in admin.get(reverse("home")).content.decode()


@time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False)
def test_only_admins_see_the_banner_and_the_page(world, login):
    agent = login(world.users["agent_a"])
    assert 'id="calendar-banner"' not in agent.get(reverse("home")).content.decode()
    assert agent.get(PAGE).status_code == 403
    assert agent.post(PAGE, {"year": 2027, "holidays": NEW_YEAR_2027}).status_code == 403
    assert not HolidayYear.objects.exists()


@pytest.mark.parametrize(("holidays", "workdays", "field", "words"), [
    ("2028-01-01 元旦", "", "holidays", ["2028-01-01", "2027"]),  # a date outside the year
    ("2027-01-01 元旦\n2027-01-01 元旦", "", "holidays", ["2027-01-01"]),  # the same date twice
    ("2027-01-01~2027-01-03 元旦\n2027-01-02 周六", "", "holidays", ["2027-01-02"]),  # twice, through a range
    ("2027-01-01 元旦", "2027-01-01 元旦", "workdays", ["2027-01-01"]),  # both a holiday and a working day
    ("2027-01-01 元旦", "2027-01-04 周一", "workdays", ["2027-01-04"]),  # a Monday is no adjustment
    ("2027-13-01 元旦", "", "holidays", ["2027-13-01"]),  # no such date
    ("元旦放假三天", "", "holidays", ["元旦放假三天"]),  # not a date at all
    ("2027-02-12~2027-02-06 春节", "", "holidays", ["2027-02-12~2027-02-06"]),  # a reversed range
    ("", "", "holidays", []),  # nothing entered
])
def test_the_page_refuses_bad_input_with_field_messages(world, login, holidays, workdays, field, words):
    response = enter(login(world.users["admin"]), holidays=holidays, workdays=workdays)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {field}, form.errors
    html = response.content.decode()
    assert 'class="errorlist' in html and all(word in " ".join(form.errors[field]) for word in words)
    assert holidays.split("\n")[0] in html  # what the admin typed is still there
    assert not HolidayYear.objects.exists() and not HolidayCalendarDay.objects.exists()


def test_the_page_shows_an_entered_year_for_editing(world, login):
    admin = login(world.users["admin"])
    enter(admin, workdays="2027-02-20 春节调休")
    form = admin.get(f"{PAGE}?year=2027").context["form"]
    assert form.initial["holidays"] == "2027-01-01~2027-01-03 元旦\n2027-02-06~2027-02-12 春节"
    assert form.initial["workdays"] == "2027-02-20 春节调休"
    # Saving again replaces the year's days rather than adding to them.
    assert enter(admin, holidays="2027-01-01 元旦").status_code == 302
    assert list(HolidayCalendarDay.objects.values_list("name", flat=True)) == ["元旦"]


API = "/api/desk/holidays"


@time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False)
def test_the_api_lists_reads_and_replaces_a_year(world):
    admin = bearer(world.users["admin"])
    assert admin.get(API).json() == {"missing_years": [2027], "years": []}
    assert admin.get(f"{API}/2026").json()["source"] == "package"
    body = {"holidays": [{"date": "2027-01-01~2027-01-03", "name": "元旦"}],
            "workdays": [{"date": "2027-02-20", "name": "春节调休"}]}
    response = admin.put(f"{API}/2027", body, content_type="application/json")
    assert response.status_code == 200, response.content
    year = response.json()
    assert year["source"] == "entered" and [d["date"] for d in year["holidays"]] == [
        "2027-01-01", "2027-01-02", "2027-01-03"] and year["workdays"] == [{"date": "2027-02-20", "name": "春节调休"}]
    assert admin.get(API).json()["missing_years"] == []
    assert bearer(world.users["pm_a"]).get(API).status_code == 403


def test_the_api_refuses_bad_days_with_field_messages(world):
    admin = bearer(world.users["admin"])
    response = admin.put(f"{API}/2027", {"holidays": [{"date": "2027-01-01"}, {"date": "2028-01-01"}]},
                         content_type="application/json")
    assert response.status_code == 400, response.content
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"holidays"} and "2028-01-01" in fields["holidays"][0]
    assert not HolidayYear.objects.exists()
