"""Day one of the resident app for the demo resident (resident1): three requests of theirs that show what following
a request looks like — one with a paid repair's quote waiting for their agreement, one finished without a signature
and waiting for their confirmation and rating, and one they have hurried (催单) once. Written through the same
services as the console and the app, after build_setup (the price lists and dispatch rules exist)."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Max

from propdesk.customers.models import Occupancy, Resident
from propdesk.org.models import Department
from propdesk.servicedesk.models import PriceItem, ServiceRequest, WorkOrder
from propdesk.servicedesk.rules.transitions import WorkOrderAction
from propdesk.servicedesk.services.dispatch import dispatch_rule_for
from propdesk.servicedesk.services.payments import QuoteLineInput, quote_create
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.resident_actions import request_hurry
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

from .setup import MINUTE, _window
from .spec import staff_username

SPAN = 150  # minutes from the first request to the last step
LOGIN = "resident1"


def build_follow(*, today: date, stdout=None) -> int:
    """The three requests of resident1; returns how many were written (0 when the demo has no resident1)."""
    resident = Resident.objects.filter(user__username=LOGIN).select_related("user", "project").first()
    occupancy = (Occupancy.objects.filter(resident=resident, end_date__isnull=True).select_related("room")
                 .order_by("id").first()) if resident else None
    if occupancy is None:
        return 0
    project = resident.project
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[staff_username(p, project.code) for p in ("agent", "tech")])}
    agent = users[staff_username("agent", project.code)]
    end, pace = _window(today, span=SPAN)
    start = end - SPAN * pace * MINUTE
    # Numbers follow arrival: these come after the project's requests of today already written (the paid repairs),
    # squeezed into the time left before the end of the window.
    latest = (ServiceRequest.objects.filter(project=project, received_at__lt=end)
              .aggregate(latest=Max("received_at"))["latest"])
    if latest is not None and latest >= start:
        start = latest + MINUTE * min(1.0, pace)
        pace = (end - start) / (SPAN * MINUTE)

    def at(minutes: int) -> datetime:
        return start + minutes * pace * MINUTE

    def accepted(description: str, wish: str, minutes: int) -> WorkOrder:
        request = request_submit(actor=agent, project=project, now=at(minutes), data=RequestInput(
            channel="app", kind="repair", description=description, reporter_id=resident.pk,
            room_id=occupancy.room_id, resident_request=wish, urgent=False))
        rule = dispatch_rule_for(request)
        department = (Department.objects.get(pk=rule.department_id) if rule is not None
                      else Department.objects.get(project=project, kind="engineering"))
        technician = (get_user_model().objects.get(pk=rule.assignee_id) if rule is not None and rule.assignee_id
                      else users[staff_username("tech", project.code)])
        order = workorder_create(request=request, department=department, actor=agent, now=at(minutes + 2))
        WorkOrder.objects.filter(pk=order.pk).update(created_at=at(minutes + 2))
        workorder_act(work_order=order, actor=agent, action=WorkOrderAction.DISPATCH, assignee_id=technician.pk,
                      now=at(minutes + 2))
        workorder_act(work_order=order, actor=technician, action=WorkOrderAction.ACCEPT, now=at(minutes + 8))
        order.refresh_from_db()
        return order

    # 1. A paid repair quoted on the phone: the quote waits for the resident's agreement in the app.
    quoted = accepted("厨房水龙头关不紧，一直滴水", "希望今天修好，换阀芯可以接受收费", 0)
    items = dict(PriceItem.objects.filter(project=project).values_list("name", "id"))
    lines = [QuoteLineInput(item_id=items[name], quantity=1) for name in ("更换水龙头阀芯",) if name in items] \
        or [QuoteLineInput(item_id=next(iter(items.values())), quantity=1)]
    quote_create(work_order=quoted, lines=lines, actor=quoted.assignee, now=at(20))
    # 2. Finished while the resident was out: no signature; they confirm and rate in the app.
    done = accepted("卫生间吸顶灯不亮", "家里白天没人，钥匙放在物业前台", 30)
    workorder_act(work_order=done, actor=done.assignee, action=WorkOrderAction.ARRIVE, now=at(70))
    workorder_act(work_order=done, actor=done.assignee, action=WorkOrderAction.COMPLETE, now=at(90),
                  result="更换吸顶灯镇流器，通电测试正常", materials="镇流器 1 个", confirm_in_app=True)
    # 3. Taken but nobody came yet: the resident hurried once.
    hurried = accepted("入户门门锁转动不灵，钥匙拔不出来", "今天下班前能来看看吗", 100)
    request_hurry(request=hurried.request, actor=resident.user, now=at(SPAN))
    if stdout is not None:
        stdout.write(f"  resident app: 3 requests of {LOGIN} (a quote to agree, work to confirm, one hurried)\n")
    return 3
