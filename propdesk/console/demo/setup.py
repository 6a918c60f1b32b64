"""What a company sets up on day one, for the demo: the service policy with the handbook's deadlines and escalation
ladders, each project's working hours, its published price list for paid repairs 收费标准 and its dispatch rules
派单规则; then a few paid repairs that went through them, so that a new user sees quotes, agreements, receipts and
rule-based dispatch without visiting the admin.

Everything is written through the same services the console uses (price list, dispatch rules matched by
``services/dispatch.dispatch_rule_for``, ``request_submit``, ``workorder_act``, quotes and payments), with ``now=`` set
to times earlier on the demo's "today" (before the build when today is the real date, else the afternoon), so the
timelines read like real work. Today, because the history ends at midnight: on an earlier day the new requests would
take numbers after that day's last one while arriving before it, and numbers follow the order of arrival.

The service policy holds exactly the handbook defaults (``rules/sla.DEFAULT_POLICY``), which the history generator
also used: the rows make the numbers visible and editable without changing any deadline already written.

Decision: dispatch rules route by kind and building (what ``DispatchRule`` can express): repairs in the first half of
the buildings go to the project's first technician, the rest to the engineering pool (the project's technicians
grab from it), help requests 求助 to the security team's pool; complaints, inquiries, suggestions and praise wait for
the agent, who judges them. There is no request kind for landscaping, so 绿化 work is dispatched by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.plan import DemoPlan
from propdesk.console.demo.spec import staff_username
from propdesk.customers.models import Occupancy
from propdesk.org.models import Building, Company, Department, Project
from propdesk.servicedesk.models import DispatchRule, PriceItem, ServicePolicy, WorkingHours, WorkOrder
from propdesk.servicedesk.rules import escalation, sla
from propdesk.servicedesk.rules.transitions import WorkOrderAction
from propdesk.servicedesk.services.dispatch import dispatch_rule_for
from propdesk.servicedesk.services.payments import QuoteLineInput, payment_record, quote_agree, quote_create
from propdesk.servicedesk.services.prices import price_item_save, price_list_add_defaults
from propdesk.servicedesk.services.requests import RequestInput, request_reply, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

TZ = ZoneInfo("Asia/Shanghai")
MINUTE = timedelta(minutes=1)
# Minutes after the call: dispatch, accept, arrive, quote, agreement, completion, payment, reply.
STEPS = {"dispatch": 2, "accept": 9, "arrive": 55, "quote": 65, "agree": 68, "complete": 100, "pay": 104, "reply": 110}
REPAIR_GAP, PROJECT_GAP = 40, 7  # minutes between one paid repair and the next, and between projects
SLOTS = [["08:30", "12:00"], ["13:30", "18:00"]]  # the handbook default, written out so that it can be edited
UPSCALE_MARKUP = Decimal("1.2")  # upscale projects publish higher labour prices


@dataclass(frozen=True)
class PaidRepair:
    """One paid repair of the demo: what the resident said, what was quoted (price-list names and quantities),
    how they agreed and paid, and how far it got (``done``: completed, paid and answered; else agreed and under way)."""

    description: str
    resident_request: str
    lines: tuple[tuple[str, int], ...]
    agreement: str  # AgreementMethod: "signature" or "in_person"
    method: str  # PaymentMethod
    result: str
    materials: str
    done: bool = True


PAID_REPAIRS = (
    PaidRepair("厨房水龙头关不严，一直滴水，晚上声音很吵", "尽快上门更换阀芯",
               (("上门检测费", 1), ("更换水龙头阀芯", 1)), "signature", "wechat",
               "拆检发现阀芯磨损，更换陶瓷阀芯后试水无滴漏，已向业主说明日常关水勿用力过猛", "陶瓷阀芯×1（业主自购）"),
    PaidRepair("卫生间下水道堵塞，洗澡水排不下去", "今天下午来疏通",
               (("疏通下水道（户内）", 1),), "in_person", "cash",
               "用疏通机清出头发等堵塞物，放水试验排水顺畅，建议地漏加装过滤网", "无"),
    PaidRepair("客厅吊灯两个灯泡不亮，卧室开关面板松动", "周末前修好",
               (("更换灯泡/灯管", 2), ("更换开关/插座面板", 1)), "signature", "alipay",
               "更换LED灯泡2个、卧室开关面板1个，通电测试正常", "LED灯泡×2、开关面板×1（业主自购）"),
    PaidRepair("阳台晾衣架摇杆断了，衣架降不下来", "尽快修好，衣服晾不了",
               (("安装晾衣架", 1),), "signature", "wechat", "", "", done=False),
)


def build_setup(plan: DemoPlan, *, today: date, stdout=None) -> dict[str, int]:
    """Write the day-one configuration and the paid repairs; returns counts by kind."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[staff_username(p, pp.spec.code) for pp in plan.projects for p in ("agent", "tech", "pm")])}
    counts = {"service policies": _write_policy(Company.objects.get()), "price items": 0, "dispatch rules": 0,
              "paid repairs": 0}
    end, pace = _window(today, span=STEPS["reply"] + (len(PAID_REPAIRS) - 1) * REPAIR_GAP
                        + (len(plan.projects) - 1) * PROJECT_GAP)
    for pp in plan.projects:
        project = Project.objects.get(code=pp.spec.code)
        WorkingHours.objects.create(project=project, slots=SLOTS)
        pm = users[staff_username("pm", project.code)]
        counts["price items"] += _write_prices(project, pm, upscale=pp.spec.upscale)
        counts["dispatch rules"] += _write_dispatch_rules(project, users[staff_username("tech", project.code)])
        agent = users[staff_username("agent", project.code)]
        for number, repair in enumerate(PAID_REPAIRS):
            # One every REPAIR_GAP minutes per project, the projects PROJECT_GAP apart, all done by the end.
            before_end = (STEPS["reply"] + (len(PAID_REPAIRS) - 1 - number) * REPAIR_GAP
                          + (len(plan.projects) - 1 - plan.projects.index(pp)) * PROJECT_GAP)
            _paid_repair(project, repair, agent=agent, start=end - before_end * pace * MINUTE, pace=pace,
                         index=counts["paid repairs"])
            counts["paid repairs"] += 1
    if stdout is not None:
        stdout.write(f"  day-one setup: {counts['price items']} price items, {counts['dispatch rules']} dispatch "
                     f"rules, {counts['paid repairs']} paid repairs\n")
    return counts


def _write_policy(company: Company) -> int:
    """The handbook's numbers as the company's policy rows: every kind and severity, and both escalation ladders."""
    ServicePolicy.objects.create(
        company=company, targets=sla.policy_to_config(sla.DEFAULT_POLICY),
        ladder=escalation.ladder_to_config(escalation.DEFAULT_LADDER),
        accept_ladder=escalation.ladder_to_config(escalation.DEFAULT_ACCEPT_LADDER))
    return 1


def _write_prices(project: Project, pm, *, upscale: bool) -> int:
    """The usual items through the price-list service, as the project manager publishes them; an upscale project
    prices labour 20 % higher (to the yuan)."""
    added = price_list_add_defaults(project=project, actor=pm)
    if upscale:
        for item in PriceItem.objects.filter(project=project).order_by("id"):
            price = (item.price * UPSCALE_MARKUP).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            price_item_save(project=project, actor=pm, item=item, name=item.name, unit=item.unit, price=price)
    return added


def _write_dispatch_rules(project: Project, technician) -> int:
    """Repairs in the first half of the buildings → the first technician; other repairs → the engineering pool;
    help requests → the security team's pool. Each row is validated as the admin form validates it."""
    numbers = list(Building.objects.filter(project=project).order_by("sort").values_list("number", flat=True))
    departments = {d.kind: d for d in Department.objects.filter(project=project)}
    first_half = ",".join(numbers[:max(1, len(numbers) // 2)])
    rules = [
        DispatchRule(project=project, order=10, kind="repair", buildings=first_half,
                     department=departments["engineering"], assignee=technician),
        DispatchRule(project=project, order=20, kind="repair", department=departments["engineering"]),
        DispatchRule(project=project, order=30, kind="help", department=departments["security"]),
    ]
    for rule in rules:
        rule.full_clean()
        rule.save()
    return len(rules)


def _household(project: Project, index: int):
    """An owner living in a building of the first rule (so the repair goes straight to the technician)."""
    first = DispatchRule.objects.filter(project=project, order=10).values_list("buildings", flat=True).get()
    occupancies = (Occupancy.objects.filter(project=project, relation="owner", end_date__isnull=True,
                                            room__building__number__in=first.split(","))
                   .select_related("resident", "room").order_by("room__code", "id"))
    count = occupancies.count()
    return occupancies[(index * 37) % count]


def _window(today: date, *, span: int) -> tuple[datetime, float]:
    """When the day's paid repairs end, and the pace (1.0: minutes as in STEPS). Before the build when ``today`` is
    the real date: ending five minutes ago, squeezed into the time since midnight when the build runs early in the
    morning (never in the future). Any other ``today`` (a test's): ending at 18:00."""
    now = timezone.localtime(timezone.now(), TZ)
    if now.date() != today:
        return datetime.combine(today, time(18), tzinfo=TZ), 1.0
    if now - 5 * MINUTE - span * MINUTE >= datetime.combine(today, time(0), tzinfo=TZ):
        return now - 5 * MINUTE, 1.0
    since_midnight = (now - datetime.combine(today, time(0), tzinfo=TZ)) / MINUTE
    return now, since_midnight / (span + 1)


def _paid_repair(project: Project, repair: PaidRepair, *, agent, start: datetime, pace: float, index: int) -> None:
    from propdesk.console.demo.history.spec import SIGNATURE

    occupancy = _household(project, index)

    def at(step: str) -> datetime:
        return start + STEPS[step] * pace * MINUTE

    request = request_submit(actor=agent, project=project, now=start, data=RequestInput(
        channel="phone", kind="repair", description=repair.description, reporter_id=occupancy.resident_id,
        room_id=occupancy.room_id, resident_request=repair.resident_request, urgent=False))
    rule = dispatch_rule_for(request)  # the project's rules choose the department and the technician
    technician = get_user_model().objects.get(pk=rule.assignee_id)
    order = workorder_create(request=request, department=Department.objects.get(pk=rule.department_id),
                             actor=agent, now=at("dispatch"))
    # The row's own creation stamp is the build time; the order was made at the dispatch.
    WorkOrder.objects.filter(pk=order.pk).update(created_at=at("dispatch"))
    workorder_act(work_order=order, actor=agent, action=WorkOrderAction.DISPATCH, assignee_id=technician.pk,
                  now=at("dispatch"))
    workorder_act(work_order=order, actor=technician, action=WorkOrderAction.ACCEPT, now=at("accept"))
    workorder_act(work_order=order, actor=technician, action=WorkOrderAction.ARRIVE, now=at("arrive"))
    items = dict(PriceItem.objects.filter(project=project).values_list("name", "id"))
    quote = quote_create(work_order=order, actor=technician, now=at("quote"),
                         lines=[QuoteLineInput(item_id=items[name], quantity=qty) for name, qty in repair.lines])
    quote_agree(work_order=order, actor=technician, method=repair.agreement, now=at("agree"),
                signature=SIGNATURE if repair.agreement == "signature" else "")
    if not repair.done:
        return
    workorder_act(work_order=order, actor=technician, action=WorkOrderAction.COMPLETE,
                  now=at("complete"), result=repair.result, materials=repair.materials,
                  signature=SIGNATURE)
    payment_record(work_order=order, actor=technician, amount=quote.total, method=repair.method,
                   now=at("pay"))
    request_reply(request=request, actor=agent, now=at("reply"),
                  text=f"您好，{occupancy.room.code}的报修已处理完毕，收费{quote.total}元已开具收据，如有问题请随时联系客服中心。")
