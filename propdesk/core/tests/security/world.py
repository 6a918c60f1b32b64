"""The world the cross-scope checks run in, built once per test package through the services.

Project A (east branch of 万家物业) is where every signed-in role lives. Three other scopes each hold a full set of
objects — rooms, a resident with a login, a request with a photo, notes and a reply, a paid work order with its
receipt, a follow-up visit, an incident, a notification, a draft service report, a price list:

- B, A's sibling project in the same branch: the tightest boundary for project and department roles;
- C, a project of the west branch: the boundary of A's branch leader;
- Z, a project of another company (华信物业): the boundary of the company-wide roles (quality, admin).

Every text of B, C and Z carries the scope's marker (乙机密, 丙机密, 丁机密) so that a leak shows in any answer; their
phones and ID numbers are distinctive too. A has the same objects, so that each route can first be shown to find A's
object (the control): a 404 for B then means "not in your scope", not "the test filled the path wrongly".
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from propdesk.core.testing import World, build_world, make_project, make_resident, make_user
from propdesk.fees import models as fees
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.services.rating import rating_link_issue
from propdesk.notices.services import NoticeInput, notice_mark_read, notice_publish
from propdesk.notify.services import notify_user
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Branch, Company, Department, ImportJob, ImportStatus, Project, Room
from propdesk.org.services.buildings import building_create
from propdesk.reports.services import public_report_save
from propdesk.servicedesk.models import Payment
from propdesk.servicedesk.services.attachments import attachments_add
from propdesk.servicedesk.services.incidents import incident_create, incident_link
from propdesk.servicedesk.services.payments import QuoteLineInput, payment_record, quote_agree, quote_create
from propdesk.servicedesk.services.prices import price_item_save
from propdesk.servicedesk.services.requests import RequestInput, request_comment, request_reply, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create
from propdesk.staff.models import ApiToken

from .parts import Context, populate_parts

SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")
REPORT_MONTH = date(2026, 10, 1)

# Which scope each signed-in role is tested against: the nearest one it must not see.
ROLES = ("agent", "steward", "technician", "dept_staff", "project_manager", "branch_leader", "quality", "admin",
         "resident", "anonymous")
TARGET_OF_ROLE = {"branch_leader": "c", "finance": "c", "quality": "z", "admin": "z"}  # every other role: "b"


def png(text: str = "") -> bytes:
    """A small photo; ``text`` rides in it (a PNG text chunk), so that a served file betrays its scope."""
    out = io.BytesIO()
    info = PngInfo()
    if text:
        info.add_itxt("Comment", text)
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def id_number(first17: str) -> str:
    """A valid 18-digit mainland ID number (ISO 7064 MOD 11-2 check digit)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


@dataclass
class Scope:
    """One project's objects, by the names route entries use (``ids``), and the strings that betray it."""

    tag: str
    project: Project
    query: str  # a word in every text of the scope: what a search for its data types
    ids: dict = field(default_factory=dict)
    markers: tuple[str, ...] = ()  # texts and numbers of the scope that no one outside it may see
    users: dict = field(default_factory=dict)


@dataclass
class SecurityWorld:
    base: World
    scopes: dict[str, Scope]
    users: dict  # role → the user of project A (or A's branch / company) in that role; "anonymous" → None

    def target(self, role: str) -> Scope:
        return self.scopes[TARGET_OF_ROLE.get(role, "b")]


def _staff(tag: str, project: Project) -> dict:
    eng = Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)
    return {"agent": make_user(f"{tag}_agent", role="agent", project=project, display_name=f"{tag}客服"),
            "technician": make_user(f"{tag}_tech", role="technician", department=eng, project=project,
                                    display_name=f"{tag}师傅"),
            "project_manager": make_user(f"{tag}_pm", role="project_manager", project=project,
                                         display_name=f"{tag}经理")}


def real_rating_token(visit) -> str:
    """The token of the link the resident of ``visit`` is sent: random, stored hashed, single-use."""
    return rating_link_issue(visit=visit)


# Rating links were the visit id signed with this salt before issue 10; an outsider may still try that shape.
OLD_RATING_SALT = "propdesk.followups.rating"


def forged_rating_token(visit) -> str:
    """What an outsider can make without the server's key: the visit's id signed with a guessed key."""
    return signing.dumps({"v": visit.pk}, key="guessed-" + "k" * 40, salt=OLD_RATING_SALT, compress=True)


def populate(tag: str, project: Project, *, marker: str, phone: str, idn: str, people: dict,
             resident_user, admin) -> Scope:
    """Rooms, a resident, and a request carried through everything the service desk and follow-ups do with it."""
    now = timezone.now()
    agent, tech, pm = people["agent"], people["technician"], people["project_manager"]
    if not project.buildings.exists():
        building_create(project=project, number="3", floors=20, units=2, rooms_per_floor=2, area=89)
    room = Room.objects.get(project=project, code="3-2-1802")
    resident = make_resident(project, f"{marker}业主", phone, room, id_number=idn,
                             note=f"{marker}：难缠客户，勿上门")
    resident.user = resident_user
    resident.save(update_fields=["user"])
    item = price_item_save(project=project, actor=admin, name=f"{marker}更换阀芯", unit="个", price="30")
    request = request_submit(actor=agent, project=project, now=now - timedelta(days=3), data=RequestInput(
        channel="phone", kind="repair", description=f"{marker}：卫生间水龙头漏水", reporter_id=resident.pk,
        room_id=room.pk, resident_request=f"{marker}希望下午来修"))
    attachment, = attachments_add(request=request, actor=agent, files=[
        SimpleUploadedFile(f"{tag}-leak.png", png(f"{marker}照片"), content_type="image/png")])
    request_comment(request=request, actor=agent, text=f"{marker}内部备注：该住户投诉频繁", internal=True)
    eng = Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)
    order = workorder_create(request=request, department=eng, actor=agent, now=now - timedelta(days=3))
    workorder_act(work_order=order, actor=agent, action="dispatch", assignee_id=tech.pk, now=now - timedelta(days=3))
    workorder_act(work_order=order, actor=tech, action="accept", now=now - timedelta(days=3))
    quote_create(work_order=order, lines=[QuoteLineInput(item_id=item.pk, quantity=1)], actor=tech)
    quote_agree(work_order=order, actor=tech, method="in_person")
    payment = payment_record(work_order=order, amount=Decimal("30"), method="cash", actor=tech)
    workorder_act(work_order=order, actor=tech, action="complete", now=now - timedelta(days=2),
                  result=f"{marker}更换阀芯完毕", signature=SIGNATURE)
    request_reply(request=request, actor=agent, text=f"{marker}答复：已修好", now=now - timedelta(days=2))
    visit = FollowUpVisit.objects.filter(request=request).order_by("id").first()
    incident = incident_create(project=project, title=f"{marker}三号楼停水", actor=agent)
    second = request_submit(actor=agent, project=project, data=RequestInput(
        channel="phone", kind="complaint", severity="important", complaint_category="property",
        description=f"{marker}投诉：保安态度恶劣", reporter_id=resident.pk, room_id=room.pk))
    incident_link(incident=incident, request=second, actor=agent)
    notice = notice_publish(project=project, actor=agent, now=now, data=NoticeInput(
        kind="outage", title=f"{marker}停水公告", body=f"{marker}公告正文：明日停水", scope="buildings",
        building_ids=[room.building_id], urgent=True, valid_from=now - timedelta(hours=1)))  # each test's clock
    # starts again at TEST_NOW, a little before the world was built
    notice_mark_read(notice=notice, user=resident_user, now=now)
    notified = people.get("notified", agent)
    notify_user(user=notified, kind="test", title=f"{marker}通知：新工单", key=f"security:{tag}", email=False)
    report = public_report_save(actor=pm, project=project, month=REPORT_MONTH, improvements=f"{marker}改进",
                                plans=f"{marker}计划")
    fee_ids = populate_fees(project, room, resident, marker=marker, agent=agent, now=now)
    part_ids, part_markers = populate_parts(Context(tag=tag, project=project, room=room, resident=resident,
                                                    marker=marker, people=people, admin=admin, now=now,
                                                    request=request))
    ids = {
        **fee_ids,
        **part_ids,
        "project": project.pk, "building": room.building_id, "unit": room.unit_id, "room": room.pk,
        "room_code": room.code, "resident": resident.pk, "phone": resident.phones.first().pk,
        "occupancy": resident.occupancies.first().pk, "request": request.pk, "complaint": second.pk,
        "work_order": order.pk, "visit": visit.pk, "receipt": payment.pk, "incident": incident.pk,
        "notification": notified.notifications.get(dedupe_key=f"security:{tag}").pk, "attachment": attachment.pk,
        "attachment_path": attachment.file.name, "price_item": item.pk, "department": eng.pk,
        "technician": tech.pk, "month": REPORT_MONTH.strftime("%Y-%m"), "report": report.pk,
        "rating_token": forged_rating_token(visit), "request_number": request.number,
        "api_token": ApiToken.issue(user=notified, name=f"{marker}接口")[0].pk,  # a user's own API token
        "import_job": ImportJob.objects.create(  # an Excel import by that user, finished with a bad row
            kind="rooms", project=project, created_by=notified, file_name=f"{marker}房间清单.xlsx",
            status=ImportStatus.DONE, done=2, total=2, counts={"created": 1},
            errors=[{"row": 3, "message": f"{marker}导入错误"}], error_count=1).pk,
        "notice": notice.pk,
        "work_order_number": order.number, "receipt_number": Payment.objects.get(pk=payment.pk).receipt_number,
    }
    texts = ("业主", "：难缠客户，勿上门", "更换阀芯", "：卫生间水龙头漏水", "希望下午来修", "照片",
             "内部备注：该住户投诉频繁", "更换阀芯完毕", "答复：已修好", "三号楼停水", "投诉：保安态度恶劣",
             "通知：新工单", "改进", "计划", "接口", "房间清单.xlsx", "导入错误", "停水公告", "公告正文：明日停水")
    markers = (project.name, *(marker + text for text in texts), phone, idn, request.number, second.number,
               order.number, ids["receipt_number"], ids["fee_receipt_number"], *part_markers)
    return Scope(tag, project, marker, ids, markers, {**people, "resident": resident_user})


def populate_fees(project, room, resident, *, marker: str, agent, now) -> dict:
    """The fees of the scope's home: standard items, November's bills, a partial payment with its receipt, and one
    of every other fees object (adjustment, refund, online order, billing run, reading, dunning record), written
    directly: the routes only need them to exist."""
    from propdesk.fees.services.billing import bills_generate
    from propdesk.fees.services.payments import payment_take
    from propdesk.fees.services.setup import fee_items_standard

    items = {item.code: item for item in fee_items_standard(project=project, effective_from=date(2026, 1, 1))}
    bills_generate(project=project, period_key="2026-11", now=now, room_ids=[room.pk])
    bill = fees.Bill.objects.get(room=room, item=items["property"], period_key="2026-11")
    payment = payment_take(room=room, amount="100", method="cash", actor=agent, payer=f"{marker}业主", now=now)
    adjustment = fees.Adjustment.objects.create(
        project=project, room=room, bill=bill, kind="waiver", amount_fen=-1000, reason=f"{marker}减免理由",
        requested_by=agent, requested_at=now)
    refund = fees.Refund.objects.create(project=project, room=room, amount_fen=500, method="cash",
                                        reason=f"{marker}退款理由", requested_by=agent, requested_at=now)
    order = fees.OnlineOrder.objects.create(
        project=project, room=room, out_trade_no=f"T{project.pk:04d}{room.pk:08d}0001", bill_ids=[bill.pk],
        amount_fen=bill.open_fen, method="wechat", created_by=agent, created_at=now)
    run = fees.BillingRun.objects.create(project=project, period_key="2026-10", requested_by=agent,
                                         requested_at=now, message=f"{marker}账单生成")
    reading = fees.MeterReading.objects.create(
        project=project, room=room, item=items["water"], period_key="2026-11", reading=Decimal("135.5"),
        previous=Decimal("120"), consumption=Decimal("15.5"), read_at=now, read_by=agent)
    action = fees.DunningAction.objects.create(
        project=project, room=room, channel="phone", outcome="promised", promise_date=date(2026, 11, 30),
        note=f"{marker}承诺月底缴费", actor=agent, at=now)
    return {"fee_item": items["property"].pk, "fee_rate": items["property"].rates.first().pk, "bill": bill.pk,
            "fee_payment": payment.pk, "fee_receipt_number": payment.receipt_number, "adjustment": adjustment.pk,
            "refund": refund.pk, "online_order": order.pk, "out_trade_no": order.out_trade_no, "billing_run": run.pk,
            "reading": reading.pk, "dunning_action": action.pk}


def build_security_world() -> SecurityWorld:
    base = build_world()
    a, b, c = base.project_a, base.project_b, base.project_c
    other = Company.objects.create(name="华信物业管理有限公司", code="huaxin")
    z = make_project(Branch.objects.create(company=other, name="华北分公司", code="north"), "z", "丁机密名苑")
    Project.objects.filter(pk=b.pk).update(name="乙机密金桂苑")
    Project.objects.filter(pk=c.pk).update(name="丙机密锦江城")
    b.refresh_from_db()
    c.refresh_from_db()
    u = base.users
    security_a = Department.objects.get(project=a, kind=DepartmentKind.SECURITY)
    users = {"agent": u["agent_a"], "steward": u["steward_a"], "technician": u["technician_a"],
             "dept_staff": make_user("dept_a", role="dept_staff", department=security_a, project=a,
                                     display_name="秩序员 马强"),
             "project_manager": u["pm_a"], "branch_leader": u["leader_east"], "finance": u["finance_east"],
             "quality": u["quality"],
             "admin": u["admin"], "resident": u["resident_a"], "anonymous": None}
    admin_z = make_user("admin_z", role="admin", company=other, display_name="华信管理员")
    a_people = {"agent": u["agent_a"], "technician": u["technician_a"], "project_manager": u["pm_a"]}
    scopes = {
        # A's objects belong to A's users; its notification goes to A's admin, who runs the controls.
        "a": populate("a", a, marker="甲本项目", phone="13812340001", idn=id_number("31011519800101001"),
                      people={**a_people, "notified": u["admin"]}, resident_user=make_user("resident_a2"),
                      admin=u["admin"]),
        "b": populate("b", b, marker="乙机密", phone="13766660001", idn=id_number("31011519800101002"),
                      people=_staff("b", b), resident_user=make_user("resident_b"), admin=u["admin"]),
        "c": populate("c", c, marker="丙机密", phone="13766660002", idn=id_number("31011519800101003"),
                      people=_staff("c", c), resident_user=make_user("resident_c"), admin=u["admin"]),
        "z": populate("z", z, marker="丁机密", phone="13766660003", idn=id_number("31011519800101004"),
                      people=_staff("z", z), resident_user=make_user("resident_z"), admin=admin_z),
    }
    # A's control opens A's real rating link (the one texted to the resident), not a forged one.
    scopes["a"].ids["rating_token"] = real_rating_token(FollowUpVisit.objects.get(pk=scopes["a"].ids["visit"]))
    return SecurityWorld(base, scopes, users)
