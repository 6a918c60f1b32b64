"""Building the demo as a whole: the same seed gives the same company (archive, history, follow-up visits), the
command builds once and then shows the logins, the history reports its progress, and a demo built early in the
morning has nothing in the future. Each test builds its own demo (the other demo modules share one a module)."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from propdesk.console.demo import build_demo, demo_reset
from propdesk.customers.models import Resident
from propdesk.followups.models import FollowUpVisit, VisitAttempt
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder

from .test_demo import snapshot as archive_snapshot

TODAY = date(2026, 2, 14)
SCALE = 0.02
SHANGHAI = ZoneInfo("Asia/Shanghai")


def history_snapshot():
    return (list(ServiceRequest.objects.order_by("id").values_list(
                "project__code", "number", "kind", "channel", "status", "received_at", "reporter__archive_no",
                "room__code", "common_area__name", "description", "resolve_by", "closed_at")),
            list(WorkOrder.objects.order_by("id").values_list(
                "number", "status", "assignee__username", "completed_at", "resolve_by", "held_seconds")),
            list(TimelineEvent.objects.order_by("id").values_list("request__number", "action", "at")))


def visits_snapshot():
    return (list(FollowUpVisit.objects.order_by("request__project__code", "request__number", "handled_at")
                 .values_list("request__project__code", "request__number", "rule", "status", "handled_at",
                              "visitor__username", "done_at", "method", "satisfaction", "decision",
                              "follow_request__number", "handed_over_at", "reviewed_at", "attempts")),
            list(VisitAttempt.objects.order_by("visit__request__project__code", "visit__request__number", "at")
                 .values_list("visit__request__number", "at", "by__username", "outcome")))


def everything():
    return {"archive": archive_snapshot(), "history": history_snapshot(), "visits": visits_snapshot()}


# flush (TRUNCATE) cannot run inside the test's wrapping transaction on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_same_seed_gives_the_same_company():
    build_demo(seed=42, scale=SCALE, today=TODAY)
    first = everything()
    assert first["history"][0] and first["visits"][0]
    demo_reset()
    assert Resident.objects.count() == 0
    build_demo(seed=42, scale=SCALE, today=TODAY)
    assert everything() == first
    demo_reset()
    build_demo(seed=43, scale=SCALE, today=TODAY)
    other = everything()
    assert other["archive"]["residents"] != first["archive"]["residents"]
    assert other["history"][0] != first["history"][0]
    assert other["visits"][0] != first["visits"][0]


@pytest.mark.django_db(transaction=True)
def test_command_builds_once_and_then_shows_the_logins():
    out = StringIO()
    call_command("demo", seed=7, scale=SCALE, stdout=out)
    text = out.getvalue()
    assert "Demo built" in text and "agent_cuihu" in text and "demo1234" in text and "客服" in text
    residents = Resident.objects.count()
    again = StringIO()
    call_command("demo", seed=7, scale=SCALE, stdout=again)
    assert "already there" in again.getvalue() and "pm_cuihu" in again.getvalue()
    assert Resident.objects.count() == residents
    call_command("demo", seed=7, scale=SCALE, reset=True, stdout=StringIO())
    assert Resident.objects.count() == residents


def test_the_history_reports_progress_while_it_is_written(db, monkeypatch):
    """At full size the history takes most of the build; it says how far it is instead of minutes of silence."""
    from propdesk.console.demo.history import write as history_write

    monkeypatch.setattr(history_write, "CHUNK", 100)
    monkeypatch.setattr(history_write, "PROGRESS_EVERY", 200)
    out = StringIO()
    summary = build_demo(seed=42, scale=SCALE, today=TODAY, stdout=out)

    progress = re.findall(r"… ([\d,]+) requests of history so far", out.getvalue())
    assert summary.counts["service requests"] > 400
    assert progress[:2] == ["200", "400"]


def test_a_demo_built_early_in_the_morning_has_no_paid_repair_in_the_future(db):
    built_at = datetime(2026, 2, 14, 1, 35, tzinfo=SHANGHAI)  # "today" is the real date, 95 minutes old
    with time_machine.travel(built_at, tick=False):
        build_demo(seed=42, scale=0.02, today=TODAY)
    midnight = datetime(2026, 2, 14, tzinfo=SHANGHAI)
    times = [e.at for e in TimelineEvent.objects.filter(request__received_at__gte=midnight)]
    assert len(times) > 16 * 5 and all(midnight <= at <= built_at for at in times)
    assert all(midnight <= wo.created_at <= built_at for wo in WorkOrder.objects.filter(created_at__gte=midnight))
