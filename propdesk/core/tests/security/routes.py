"""The registry: for every URL pattern and every API operation, how to fill it with another scope's ids and what a
safe answer is. test_registry.py fails when a route has no entry here, or an entry names a route that is gone.

Adding a route is one line. Pick the kind:

- ``obj(pk="request")``: the path names one object. Each path parameter maps to a key of the scope's objects
  (world.py: project, building, room, resident, phone, occupancy, request, complaint, work_order, visit, receipt,
  incident, notification, notice, attachment, attachment_path, price_item, department, month, rating_token, api_token —
  the scope agent's token; A's belongs to A's admin, who runs the controls) or to a ``Lit("text")``.
  ``control="resident"`` when the route is the resident's (A's resident then finds A's object).
  With another scope's object every role must get 404 (403 if it lacks the capability; anonymous: to the sign-in
  page or 401; 405 for a method the route does not take; ``ok=`` adds statuses, say why), and the control — the
  same call with project A's object by A's company admin — must find it (anything but 404/422: a 422 means the
  body never reached the lookup, so fix the body). Every other scope's row must be unchanged afterwards.
- ``coll(query=..., body=...)``: a list, a form or a page without an object in its path. Any answer below 500 that
  shows nothing of another scope. It is requested with ``?q=<the scope's word>&project=<its id>`` and ``query``.
- ``public()``: needs no sign-in and shows no scope's data (health, sign-in page, static files).

In ``query`` and ``body`` a string "@key" is the scope's object (``"@room"`` → its id, ``"@query"`` → a word that
finds every text of the scope); other values are sent as they are. Every page is requested with GET, and with POST
when it has a ``body`` (``{}`` for a button without fields); every API operation with its own method (``body`` is
the JSON; ``multipart=True`` sends it as a form with a photo). Django's admin is covered by one rule
(test_cross_scope.test_admin_site).

``mixed=`` is a second body for a write that takes ids in its body: it is sent to the caller's OWN object (path
from project A) with another scope's ids (``"@key"``; ``"@own:key"`` is A's): e.g. a work order of A's request for
B's department. The API must refuse it with a 4xx; no answer may show the other scope, none of its rows may change.
"""

from dataclasses import dataclass, field


class Lit(str):
    """A literal path or body value, not a scope key."""


@dataclass(frozen=True)
class Route:
    kind: str  # "object", "collection" or "public"
    params: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict | None = None
    multipart: bool = False
    ok: tuple[int, ...] | dict = ()  # more safe statuses (for every role, or by role); say why beside the entry
    control: str | bool = "admin"  # who finds project A's object through the route; False: no control
    optional: bool = False  # the route exists only in some configurations (DEBUG)
    mixed: dict | None = None  # a body naming another scope's objects, sent to the caller's own object (below)


def obj(*, query=None, body=None, multipart=False, ok=(), control="admin", optional=False, mixed=None,
        **params) -> Route:
    return Route("object", params, query or {}, body, multipart, ok, control, optional, mixed)


def coll(*, query=None, body=None, multipart=False, ok=(), mixed=None, **params) -> Route:
    return Route("collection", params, {"q": "@query", "project": "@project", **(query or {})}, body, multipart, ok,
                 mixed=mixed)


def public(*, query=None, body=None) -> Route:
    return Route("public", {}, query or {}, body)


RECORD = {"method": "phone", "satisfaction": 5, "quality": "good", "effect": "好", "confirmation": "phone"}
DESK_PAY_FORM = {"form_token": Lit("security-desk-pay"), "bills": "@bill", "amount": Lit("1.00"), "method": Lit("cash"),
                 "payer": "越权缴费"}
REQUEST_FORM = {"project": "@project", "reporter_id": "@resident", "room_code": "@room_code", "kind": "repair",
                "channel": "phone", "description": "越权测试：代乙方报修", "emotion": "calm", "form_token": Lit("t")}

HOME_VISIT_FORM = {"way": Lit("in_person"), "visited_at": Lit("2026-11-23T09:00"), "met": "越权拜访",
                   "discussed": "越权拜访内容", "impression": Lit("neutral"), "need-0-kind": Lit("help"),
                   "need-0-description": "越权拜访需求"}
HOME_VISIT_API = {"way": "in_person", "visited_at": "2026-11-23T09:00:00+08:00", "met": "越权拜访",
                  "discussed": "越权拜访内容", "impression": "neutral", "needs": [{"description": "越权拜访需求",
                                                                                "make_request": False}]}
ADJUST_FORM = {"action": Lit("reduce"), "bill": "@bill", "amount": Lit("1.00"), "reason": "越权减免理由"}

PATROL_PLAN_FORM = {"project": "@project", "name": "越权巡查", "windows": Lit("09:30-11:00"),
                    "frequency": Lit("daily"), "day_of_month": Lit("1"), "assignee_role": Lit("agent")}

PAGES: dict[str, Route] = {
    # core, console, sign-in
    "healthz": public(),
    "readyz": public(),
    "metrics": public(),  # company-wide counts for the operator, no names; only from METRICS_ALLOWED_IPS or a token
    "operations": coll(),  # admins only; the others 403
    "servicedesk:attachment": obj(pk="attachment"),
    "org:import_job": obj(pk="import_job"),  # its uploader's only: A's admin uploaded A's
    "staff:token_list": coll(body={"name": "对接", "days": "90", "scope": "read"}),  # the caller's own tokens only
    "staff:token_revoke": obj(pk="api_token", body={}),
    "favicon": public(),
    "login": public(body={"username": Lit("b_agent"), "password": Lit("not-the-password")}),
    "logout": public(body={}),
    "set_language": public(body={"language": Lit("en"), "next": Lit("/")}),
    "home": coll(),
    "search": coll(query={"go": Lit("1")}),
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    "api:api-root": public(),
    # org
    "org:tree": coll(),
    "org:project_detail": obj(pk="project"),
    "org:building_create": obj(project_pk="project", body={"number": Lit("99"), "floors": 2, "units": 1,
                                                          "rooms_per_floor": 2}),
    "org:building_detail": obj(pk="building"),
    "org:room_detail": obj(pk="room"),
    "org:room_edit": obj(pk="room", body={"floor": 18, "area": "1", "room_type": "residence", "status": "vacant"}),
    "org:import": coll(body={"project": "@project"}),
    "org:import_template": public(),
    # customers
    "customers:resident_list": coll(),
    "customers:resident_create": coll(body={"project": "@project", "name": "越权测试", "phones": "13900000000",
                                            "room_code": "room_code", "relation": "owner"}),
    "customers:resident_detail": obj(pk="resident"),
    "customers:resident_edit": obj(pk="resident", body={"name": "越权改名", "phones": "13900000000"}),
    "customers:occupancy_add": obj(pk="resident", body={"room_code": "@room_code", "relation": "tenant"}),
    "customers:occupancy_end": obj(pk="occupancy", body={"end_date": Lit("2026-11-20")}),
    "customers:id_reveal": obj(pk="resident", body={}),
    "customers:phone_reveal": obj(pk="phone", body={}),
    "customers:import": coll(body={"project": "@project"}),
    "customers:import_template": public(),
    # service desk
    "servicedesk:dispatch_queue": coll(),
    "servicedesk:intake": coll(query={"resident": "@resident"}, body=REQUEST_FORM),
    "servicedesk:intake_caller": obj(pk="resident"),
    "servicedesk:request_list": coll(),
    # residents are sent to the portal's page of the same number (itself a 404 for another's request)
    "servicedesk:request_detail": obj(pk="request", ok={"resident": (302,)}),
    "servicedesk:workorder_add": obj(pk="request", body={"department_id": "@department"},
                                     mixed={"department_id": "@department"}),
    "servicedesk:reply": obj(pk="request", body={"text": "越权答复"}),
    "servicedesk:comment": obj(pk="request", body={"text": "越权备注"}),
    "servicedesk:acknowledge": obj(pk="complaint", body={}),
    "servicedesk:my_orders": coll(),
    "servicedesk:overdue": coll(),
    "servicedesk:workorder_detail": obj(pk="work_order"),
    "servicedesk:send_code": obj(pk="work_order", body={}),
    "servicedesk:contact_reveal": obj(pk="work_order", body={}),
    "servicedesk:workorder_action": obj(pk="work_order", action=Lit("cancel"), body={"reason": "越权取消"}),
    "servicedesk:price_list": coll(body={"project": "@project", "item_id": "@price_item", "name": "越权改价",
                                         "unit": "个", "price": "1", "active": "on"}),
    "servicedesk:quote": obj(pk="work_order", body={"qty_0": "1"}),
    "servicedesk:quote_agree": obj(pk="work_order", body={"method": "in_person"}),
    "servicedesk:quote_code": obj(pk="work_order", body={}),
    "servicedesk:quote_decline": obj(pk="work_order", body={"reason": "越权"}),
    "servicedesk:payment_add": obj(pk="work_order", body={"amount": "30", "method": "cash"}),
    "servicedesk:receipt": obj(pk="receipt"),
    "servicedesk:receipt_void": obj(pk="receipt", body={"reason": "越权作废"}),
    "servicedesk:holiday_calendar": coll(body={"year": 2027, "holidays": "", "workdays": ""}),
    "servicedesk:incident_list": coll(body={"project": "@project", "title": "越权事件"}),
    "servicedesk:incident_detail": obj(pk="incident"),
    "servicedesk:incident_update": obj(pk="incident", body={"text": "越权进展"}),
    "servicedesk:incident_close": obj(pk="incident", body={"reply": "越权关闭"}),
    "servicedesk:incident_add_request": obj(pk="incident", body={"number": "@request_number"},
                                                  mixed={"number": "@request_number"}),
    "servicedesk:request_incident": obj(pk="request", body={"incident_id": "@incident"},
                                              mixed={"incident_id": "@incident"}),
    "servicedesk:incident_scope": obj(pk="incident", body={"scope": "buildings", "buildings": "@building"},
                                      mixed={"scope": "buildings", "buildings": "@building"}),
    # notices: staff pages (PUBLISH_NOTICES) and the resident's; the picker is a 404 for another scope's project
    "notices:list": coll(),
    "notices:new": coll(body={"form_token": Lit("t"), "project": "@project", "kind": "outage", "title": "越权公告",
                              "body": "越权", "scope": "buildings", "buildings": "@building"}),
    "notices:picker": coll(),
    "notices:detail": obj(pk="notice"),
    "notices:withdraw": obj(pk="notice", body={}),
    "notices:my_list": coll(),
    "notices:my_detail": obj(pk="notice", control="resident"),
    # follow-ups; the rating link is filled with a token forged for the other scope's visit (world.py)
    "followups:visit_queue": coll(),
    "followups:rates": coll(),
    "followups:rate": obj(token="rating_token", body={"satisfaction": 5, "comment": "伪造链接"}),
    # the thanks page shows only in the browser that rated through the link: no one else finds it, A's admin neither
    "followups:rate_thanks": obj(token="rating_token", control=False),
    "followups:visit_detail": obj(pk="visit"),
    "followups:visit_attempt": obj(pk="visit", body={"outcome": "no_answer"}),
    "followups:visit_reschedule": obj(pk="visit", body={"due_by": Lit("2026-12-20T10:00"), "reason": "越权"}),
    "followups:visit_record": obj(pk="visit", body=RECORD),
    "followups:visit_review": obj(pk="visit", body={"comment": "越权点评"}),
    "followups:visit_phone_reveal": obj(pk="visit", body={}),
    # inbox: another user's notification is not opened (the inbox instead, 302) and stays unread
    "notify:inbox": coll(),
    "notify:open": obj(pk="notification", ok=(302,)),
    "notify:mark_all_read": coll(body={}),
    # reports
    "reports:dashboard": coll(),
    "reports:kpis": coll(),
    "reports:register_requests": coll(),
    "reports:register_complaints": coll(),
    "reports:register_visits": coll(),
    "reports:register_orders": coll(query={"format": Lit("xlsx")}),
    "reports:complaint_summary": coll(query={"format": Lit("xlsx")}),
    "reports:visit_statistics": coll(),
    "reports:public_report_list": coll(query={"month": "@month"}),
    "reports:public_report_detail": obj(project_id="project", month="month"),
    "reports:public_report_save": obj(project_id="project", month="month",
                                      body={"improvements": "越权", "plans": "越权"}),
    "reports:public_report_publish": obj(project_id="project", month="month", body={}),
    # fees: reports (issue 12) — another scope's project is a 400 on the filter, a 404 on a target or closing form
    "fees:reports": coll(),
    "fees:reports_export": coll(),
    "fees:target_save": coll(body={"project": "@project", "year": Lit("2026"), "rate": Lit("90")}),
    "fees:aging": coll(),
    "fees:aging_export": coll(),
    "fees:closing": coll(body={"project": "@project", "counted_cash": Lit("0"), "note": "越权日结"}),
    "fees:closing_export": coll(),
    # the resident's portal
    "portal:home": coll(),
    "portal:request_detail": obj(pk="request", control="resident"),
    "portal:request_rate": obj(pk="request", control="resident", body={"satisfaction": 5, "comment": "越权评价"}),
    # the resident's own current home only: a post records for the caller's home, never for another scope's
    "portal:report": coll(kind=Lit("repair"), body={"where": Lit("home"), "description": "越权测试：报修",
                                                    "draft_key": Lit("security-report")}),
    # following a request (issue 11): the resident's buttons; a refusal on A's own (closed) request is a redirect
    "portal:request_comment": obj(pk="request", control="resident", body={"text": "越权留言"}),
    "portal:request_cancel": obj(pk="request", control="resident", body={"reason": "越权撤销"}),
    "portal:request_hurry": obj(pk="request", control="resident", body={}),
    "portal:workorder_confirm": obj(pk="request", work_order_id="work_order", control="resident", body={}),
    "portal:quote_answer": obj(pk="request", work_order_id="work_order", control="resident",
                               body={"answer": "agree"}),
    "portal:receipt": obj(pk="receipt", control="resident"),
    "portal:attachment": obj(pk="attachment", control="resident"),
    # Uploaded photos, served by django.views.static in DEBUG only (hole 2: to anyone; see
    # test_attachments_and_links.py). The route is absent when the tests run (DEBUG off).
    r"^media/(?P<path>.*)$": obj(path="attachment_path", optional=True, control=False),
    # phone sign-in: a code for a number nobody has, a wrong code; the picker without a verified phone goes back to
    # the number; /my/homes/ refuses another scope's occupancy (404) and switches to nothing
    "accounts:login_phone": public(body={"action": Lit("login"), "phone": Lit("13800000000"), "code": Lit("000000")}),
    "accounts:login_phone_home": public(body={"choice": "@occupancy"}),
    "accounts:my_homes": coll(body={"home": "@occupancy"}),
    "accounts:demo_messages": public(),  # a 404 unless DEMO_MESSAGE_LOG (the local demo only)
    # the installable apps 住这儿 and 助这儿: manifests, service workers and offline pages carry nobody's data
    "portal:manifest": public(),
    "portal:service_worker": public(),
    "portal:offline": public(),
    "servicedesk:manifest": public(),
    "servicedesk:service_worker": public(),
    "servicedesk:offline": public(),
    # fees: adjustments (issue 12). A's room with another scope's bill is a 400 on the bill; the decisions are a
    # manager's (APPROVE_FEES) and find only their scope's requests
    "fees:home_adjustments": obj(room_id="room", body=ADJUST_FORM, mixed=ADJUST_FORM),
    "fees:approvals": coll(),
    "fees:adjustment_decide": obj(pk="adjustment", body={"decision": "refuse", "note": "越权拒绝"}),
    "fees:refund_decide": obj(pk="refund", body={"decision": "refuse", "note": "越权拒绝"}),
    # fees, the resident's (issue 12 online): their home's account, paying the ticked bills (another scope's bill is
    # refused with a message, no order), their receipts; the simulated gateway's cashier page of their orders
    "fees:my_account": coll(),
    "fees:my_pay": coll(body={"bills": "@bill", "method": Lit("wechat")}),
    "fees:my_receipt": obj(payment_id="fee_payment", control="resident"),
    "fees:gateway": obj(out_trade_no="out_trade_no", control="resident", body={"action": Lit("cancel")}),
    # fees, finance's side (setup): another project's item, room, run or project is a 404 (a project outside the
    # form's choices: the form again, 200); agents 403 on finance's pages
    "fees:items": coll(),
    "fees:item_new": coll(body={"project": "@project", "item-code": "xscope", "item-name": "越权项目",
                                "item-kind": "fixed",
                                "item-cycle": "monthly", "item-due_day": "15", "item-late_grace_days": "0"}),
    "fees:items_standard": coll(body={"project": "@project", "std-effective_from": "2026-12-01"}),
    "fees:rate_new": obj(item_id="fee_item", body={"rate-effective_from": "2027-01-01", "rate-rate": "9.99"}),
    "fees:subscriptions": obj(room_id="room", body={"action": "add", "item": "@fee_item", "quantity": "1",
                                                    "start_date": "2026-12-01"}),
    "fees:one_off": obj(room_id="room", body={"item": "@fee_item", "amount": "1", "note": "越权"}),
    "fees:runs": coll(body={"project": "@project", "period": "2026-12"}),
    "fees:run": obj(pk="billing_run"),
    "fees:readings": coll(body={"project": "@project", "room": "@room", "item": "@fee_item", "reading": "1"}),
    "fees:readings_bill": coll(body={"project": "@project", "item": "@fee_item", "period": "2026-11"}),
    "fees:imports": coll(),
    "fees:import_template": coll(kind=Lit("readings")),
    # fees, dunning: the steward's worklist, a home's history with its contact/dispute forms, the letter (POST
    # records it printed), finance's ladder (another scope's project is a 404)
    "fees:arrears": coll(query={"sort": Lit("age"), "calls": Lit("1")}),
    "fees:arrears_home": obj(room_id="room", body={"action": "contact", "channel": "phone", "outcome": "no_answer",
                                                   "note": "越权催缴记录"}),
    "fees:letter": obj(room_id="room", body={}),
    "fees:ladder": coll(body={"project": "@project", "rows": 1, "code_0": "sms_x", "kind_0": "sms",
                              "after_days_0": 1, "min_owed_0": "0", "active_0": "1"}),
    # fees: the front desk (find a home, its account, take a payment, the receipt, void it)
    "fees:search": coll(),
    "fees:home": obj(room_id="room"),
    "fees:pay": obj(room_id="room", body=DESK_PAY_FORM),
    "fees:receipt": obj(payment_id="fee_payment"),
    "fees:void": obj(payment_id="fee_payment", body={"reason": "越权作废"}),
    # issue 13: roster — another scope's project, shift or entry is a 404; agents read, project managers write
    "duty:shifts": coll(body={"project": "@project", "department": Lit("managers"), "name": "越权班次",
                              "starts": Lit("08:00"), "ends": Lit("16:00"), "min_people": Lit("1")}),
    "duty:shift_edit": obj(pk="roster_shift", body={"name": "越权班次", "starts": Lit("08:00"), "ends": Lit("16:00"),
                                                    "min_people": Lit("1")}),
    "duty:shift_delete": obj(pk="roster_shift", body={}),
    "duty:roster": coll(query={"department": Lit("managers")}),
    "duty:roster_assign": coll(body={"project": "@project", "department": Lit("managers"), "shift": "@roster_shift",
                                     "day": Lit("2026-11-30"), "user": "@roster_person"}),
    "duty:roster_copy": coll(body={"project": "@project", "department": Lit("managers"), "week": Lit("2026-11-30")}),
    "duty:roster_remove": obj(pk="roster_entry", body={}),
    "duty:now": coll(),
    "duty:gaps": coll(),
    # issue 13: staffdesk — the project staff page (MANAGE_STAFF); another project's member is a 404, another
    # project in ?project= or the add form a 404
    "team:list": coll(query={"skill": Lit("lift"), "inactive": Lit("1")}),
    "team:add": coll(body={"project": "@project", "display_name": "越权新人", "role": Lit("agent"),
                           "sign_in": Lit("password"), "mobile": Lit("13900009999")}),
    "team:member": obj(pk="staff_member", body={"display_name": "越权改名", "role": Lit("technician"),
                                                "department_id": "@department", "mobile": Lit(""),
                                                "skills": Lit("fire")}),
    "team:certificate_add": obj(pk="staff_member", body={"kind": Lit("welder"), "number": "越权证书",
                                                         "valid_until": Lit("2030-01-01")}),
    "team:certificate_remove": obj(pk="staff_member", certificate_id="staff_certificate_page", body={}),
    "team:deactivate": obj(pk="staff_member", body={}),
    "team:reactivate": obj(pk="staff_member", body={}),
    # issue 13: logs. Another scope's log is a 404 for every action; the control (A's admin) is not the author:
    # editing and submitting A's log answer 403, acknowledging refuses with a message (302)
    "duty:log_list": coll(query={"unsigned": Lit("1")}),
    "duty:log_today": coll(),
    "duty:log_start": coll(body={"kind": Lit("duty"), "shift": "@logs_shift", "day": Lit("2026-11-23")}),
    "duty:log_detail": obj(pk="duty_log", body={"body": "越权改写", "rows": Lit("1"), "item_text_0": "越权事项"}),
    "duty:log_submit": obj(pk="duty_log", body={}),
    "duty:log_acknowledge": obj(pk="duty_log", body={}),
    "duty:log_comment": obj(pk="duty_log", body={"body": "越权批示"}),
    "duty:log_sign": obj(pk="duty_log", body={}),
    "stewardship:morning": coll(),
    # issue 13: zones — another scope's project is a 404 (steward: 403 on the zones page); another scope's task a 404
    "stewardship:zones": coll(body={"buildings": "@zone_building", "steward": "@zone_steward"}),
    "stewardship:contacts": coll(),
    "stewardship:contact_detail": obj(pk="contact_task", body={"method": "phone", "note": "越权联系记录"}),
    # issue 13: visits — home visits 拜访: another scope's resident, visit or plan is a 404; another scope's project
    # on the plans form is a 404
    "stewardship:visits": coll(),
    "stewardship:visits_report": coll(),
    "stewardship:visit_plans": coll(body={"project": "@project", "target": "segment:pragmatic",
                                          "frequency": "yearly", "after_complaint_days": "3"}),
    "stewardship:visit_plan_edit": obj(pk="visit_plan", body={"target": "vip", "frequency": "yearly",
                                                              "after_complaint_days": "3", "active": "on"}),
    "stewardship:visit_new": obj(resident_id="resident", body=HOME_VISIT_FORM),
    "stewardship:visit_detail": obj(pk="home_visit"),
    # issue 13: patrols — another scope's plan, round, checkpoint or QR token is a 404; a plan for another
    # project is a 400 on the project field
    "stewardship:patrol_today": coll(),
    "stewardship:patrol_round": obj(pk="patrol_round"),
    "stewardship:patrol_round_start": obj(pk="patrol_round", body={}),
    "stewardship:patrol_round_finish": obj(pk="patrol_round", body={}),
    "stewardship:patrol_round_code": obj(pk="patrol_round", body={"code": "@patrol_token"}),
    "stewardship:patrol_checkpoint": obj(pk="patrol_round", checkpoint_id="patrol_checkpoint",
                                         body={"fine_0": Lit("1")}),
    "stewardship:patrol_scan": obj(token="patrol_token"),
    "stewardship:patrol_plans": coll(),
    "stewardship:patrol_plan_new": coll(body=PATROL_PLAN_FORM),
    "stewardship:patrol_plan": obj(pk="patrol_plan"),
    "stewardship:patrol_plan_edit": obj(pk="patrol_plan", body=PATROL_PLAN_FORM),
    "stewardship:patrol_checkpoint_new": obj(pk="patrol_plan", body={"name": "越权巡查点", "items": "越权检查项"}),
    "stewardship:patrol_qr": obj(pk="patrol_plan"),
    "stewardship:patrol_report": coll(query={"month": Lit("2026-11")}),
    # issue 13: vacant — the list, a round (another scope's building: 404), the checklist (another scope's project:
    # 404), a home's record and its inspection form
    "stewardship:vacant_list": coll(query={"overdue": Lit("1"), "steward": Lit("all")}),
    "stewardship:vacant_round": coll(query={"building": "@building"}),
    "stewardship:vacant_checklist": coll(body={"items": "越权检查项", "interval_days": "7"}),
    "stewardship:vacant_home": obj(room_id="vacant_room"),
    "stewardship:vacant_inspect": obj(room_id="vacant_room", body={"item_0": "fine", "item_1": "not_fine",
                                                                   "note_1": "越权巡查"}),
    # issue 14: renovation applications — another scope's renovation, photo or home is a 404; a decided application
    # answers the control with 409 (decide, withdraw)
    "renovation:list": coll(query={"status": Lit("open")}),
    "renovation:new": coll(query={"room": "@room"}),
    "renovation:settings": coll(body={"work_start": Lit("08:00"), "work_end": Lit("18:00"),
                                      "noon_quiet_start": Lit("12:00"), "noon_quiet_end": Lit("14:00"),
                                      "max_days": Lit("90"), "deposit_yuan": Lit("3000"), "fee_yuan": Lit("500"),
                                      "inspect_every_days": Lit("1"), "checklist": "越权检查项"}),
    "renovation:detail": obj(pk="renovation"),
    "renovation:decide": obj(pk="renovation_closed", body={"decision": Lit("approved")}),
    "renovation:withdraw": obj(pk="renovation_closed", body={}),
    "renovation:permit": obj(pk="renovation"),
    "renovation:photo": obj(pk="renovation_photo"),
    "renovation:worker_id_reveal": obj(pk="renovation_worker", body={}),
    "renovation:my_list": coll(),
    "renovation:my_apply": coll(body={"home": "@room", "items": Lit("wall_finish"), "contractor_name": "越权装修"}),
    "renovation:my_detail": obj(pk="renovation", control="resident"),
    "renovation:my_withdraw": obj(pk="renovation_closed", control="resident", body={}),
    # issue 14: movein — another scope's slot, booking, home, handover is a 404; a buyer's link signed with a
    # guessed key (B, C, Z) is a 404 for everyone, A's real link opens for anyone (the SMS link is the key)
    "movein:handover_list": coll(query={"day": Lit("2026-11-25")}),
    "movein:slot_list": coll(body={"project": "@project", "day": Lit("2026-12-01"), "first": Lit("09:00"),
                                   "last_end": Lit("10:00"), "minutes": Lit("30"), "capacity": Lit("2")}),
    "movein:slot_detail": obj(slot_id="handover_slot", body={"room_code": Lit("5-1-501")}),
    "movein:buyer_list": coll(body={"project": "@project", "room_code": Lit("5-1-504"), "name": "越权买受人",
                                    "mobile": Lit("13600009999")}),
    "movein:booking_cancel": obj(booking_id="handover_booking", body={}),
    "movein:handover_checklist": obj(room_id="handover_room", body={"documents": "购房合同", "area_0": "ok"}),
    "movein:handover_detail": obj(handover_id="handover"),
    "movein:defect_report": coll(query={"building": "@building"}),
    "movein:buyer_booking": obj(token="buyer_token", body={"slot": "@handover_slot"}),
    # issue 14: renovation inspections — another scope's renovation, rectification, acceptance, photo or link: 404
    "renovation:inspection_worklist": coll(query={"zone": Lit("all")}),
    "renovation:acceptance_list": coll(),
    "renovation:acceptance_decide": obj(pk="reno_insp_acceptance", body={"decision": Lit("refuse"),
                                                                          "note": "越权拒绝"}),
    "renovation:rectification_notice": obj(pk="reno_insp_rect"),
    "renovation:inspection_photo": obj(pk="reno_insp_photo"),
    "renovation:complaint_unlink": obj(pk="reno_insp_link", body={}),
    "renovation:inspect": obj(pk="reno_insp", body={"item_0": Lit("pass"), "note": "越权巡检"}),
    "renovation:acceptance_record": obj(pk="reno_insp", body={"passed": Lit("no"), "note": "越权验收"}),
    "renovation:acceptance_ask": obj(pk="reno_insp", body={}),
    "renovation:complaint_link": obj(pk="reno_insp", body={"request": "@reno_insp_complaint"}),
    "renovation:my_acceptance": obj(pk="reno_insp", control="resident", body={}),
    # issue 14: violations — another scope's violation, notice or photo is a 404; a finding of another scope on the
    # record page too (its POST: a 400 on finding_id); a resident sees only their household's notices
    "violations:violation_list": coll(query={"overdue": Lit("1"), "status": Lit("open")}),
    "violations:violation_new": coll(query={"finding": "@patrol_finding"}, body={
        "kind": Lit("fire_lane"), "description": "越权违章", "location": "越权地点", "finding_id": "@patrol_finding"}),
    "violations:violation_report": coll(),
    "violations:violation_detail": obj(pk="violation"),
    "violations:violation_notice": obj(pk="violation", body={"text": "越权通知", "deadline": Lit("2026-12-30"),
                                                             "channel": Lit("app")}),
    "violations:violation_follow_up": obj(pk="violation", body={"fixed": Lit("no"), "note": "越权复查"}),
    "violations:violation_escalate": obj(pk="violation", body={"reason": "越权升级"}),
    "violations:violation_refer": obj(pk="violation", body={"authority": Lit("police"), "note": "越权移交"}),
    "violations:violation_close": obj(pk="violation", body={"outcome": "越权关闭"}),
    "violations:violation_renovation": obj(pk="violation", body={"renovation": Lit("")}),
    "violations:notice_print": obj(pk="violation_notice"),
    "violations:violation_photo": obj(pk="violation_photo"),
    "violations:my_violations": coll(),
    "violations:my_notice": obj(pk="violation_notice", control="resident"),
    # issue 16: the service-language report (VIEW_REPORTS): counts of the scope only; another project is ignored
    "wording:report": coll(query={"months": Lit("12")}),
    # issue 16: knowledge — another scope's case, answer or request is a 404; another scope's project in a body is
    # refused (400); the company's own rows are every project's of that company
    "knowledge:case_list": coll(query={"like": "@query", "category": Lit("repair")}),
    "knowledge:case_new": coll(body={"project_id": "@project", "title": "越权案例", "category": Lit("repair"),
                                     "happened": "越权案例经过"}),
    "knowledge:case_detail": obj(pk="case"),
    "knowledge:case_edit": obj(pk="case", body={"title": "越权改案例", "category": Lit("repair"),
                                                "happened": "越权改经过"}),
    "knowledge:case_from_request": obj(pk="request", body={"title": "越权存案例", "category": Lit("repair"),
                                                           "happened": "越权存经过"}),
    "knowledge:request_similar": obj(pk="request"),
    "knowledge:answer_list": coll(),
    "knowledge:answer_new": coll(body={"project_id": "@project", "topic": "越权主题", "question": "越权问题",
                                       "answer": "越权答复"}),
    "knowledge:answer_edit": obj(pk="standard_answer", body={"topic": "越权主题", "question": "越权问题",
                                                             "answer": "越权改答复"}),
    "knowledge:answer_close": obj(pk="standard_answer", body={
        "contact_name": "越权来电", "channel": Lit("phone"), "question": "越权咨询", "reply": "越权答复",
        "project_id": "@project"}),
    # issue 16: the intake's triage panel — another scope's project in the body is a 404
    "triage:intake_suggestions": coll(body={"project": "@project", "description": "楼上漏水到我家天花板，快派人来修"}),
}

VISIT_PARAM = {"visit_id": "visit"}
DESK_PAYMENT = {"amount": "1.00", "method": "cash", "payer": "越权缴费", "bill_ids": ["@bill"]}
API_REQUEST = {"project_id": "@project", "channel": "phone", "kind": "repair", "description": "越权测试：代乙方报修",
               "reporter_id": "@resident", "room_id": "@room"}
NOTICE_API = {"project_id": "@project", "kind": "outage", "title": "越权公告", "body": "越权", "scope": "buildings",
              "building_ids": ["@building"]}
PATROL_PLAN_API = {"project_id": "@project", "name": "越权巡查", "windows": ["09:30-11:00"], "assignee_role": "agent"}
PATROL_POINT_API = {"name": "越权巡查点", "items": [{"text": "越权检查项"}]}
API: dict[str, Route] = {
    "GET /api/me": coll(),
    "GET /api/desk/attachments/{attachment_id}": obj(attachment_id="attachment"),
    "GET /api/me/tokens": coll(),
    "POST /api/me/tokens": coll(body={"name": "对接", "days": 30, "scope": "read"}),
    "DELETE /api/me/tokens/{token_id}": obj(token_id="api_token"),
    # org
    "GET /api/org/tree": coll(),
    "GET /api/org/projects/{project_id}": obj(project_id="project"),
    "GET /api/org/projects/{project_id}/buildings": obj(project_id="project"),
    "POST /api/org/projects/{project_id}/buildings": obj(project_id="project", body={
        "number": "99", "floors": 2, "units": 1, "rooms_per_floor": 2}),
    "GET /api/org/rooms": coll(query={"building": "@building"}),
    "GET /api/org/rooms/{room_id}": obj(room_id="room"),
    "PATCH /api/org/rooms/{room_id}": obj(room_id="room", body={"area": "1.00"}),
    # customers
    "GET /api/customers/residents": coll(),
    "POST /api/customers/residents": coll(body={"project_id": "@project", "name": "越权测试",
                                                "phones": ["13900000000"], "rooms": [{"code": "@room_code"}]}),
    "GET /api/customers/residents/{resident_id}": obj(resident_id="resident"),
    "PATCH /api/customers/residents/{resident_id}": obj(resident_id="resident", body={"name": "越权改名"}),
    "POST /api/customers/phones/{phone_id}/reveal": obj(phone_id="phone"),
    "POST /api/customers/residents/{resident_id}/reveal-id": obj(resident_id="resident"),
    # service desk
    "POST /api/desk/requests": coll(body=API_REQUEST, mixed={**API_REQUEST, "project_id": "@own:project"}),
    "GET /api/desk/requests": coll(),
    "GET /api/desk/requests/{request_id}": obj(request_id="request"),
    "POST /api/desk/requests/{request_id}/photos": obj(request_id="request", multipart=True, body={}),
    "POST /api/desk/requests/{request_id}/work-orders": obj(
        request_id="request", body={"department_id": "@department"}, mixed={"department_id": "@department"}),
    "POST /api/desk/requests/{request_id}/reply": obj(request_id="request", body={"text": "越权答复"}),
    "POST /api/desk/requests/{request_id}/comment": obj(request_id="request", body={"text": "越权备注"}),
    "POST /api/desk/requests/{request_id}/acknowledge": obj(request_id="complaint"),
    "GET /api/desk/work-orders": coll(query={"department": "@department"}),
    "GET /api/desk/work-orders/{work_order_id}": obj(work_order_id="work_order"),
    "POST /api/desk/work-orders/{work_order_id}/actions/{action}": obj(
        work_order_id="work_order", action=Lit("reassign"), body={"reason": "越权", "assignee_id": "@technician"},
        mixed={"reason": "越权", "assignee_id": "@technician"}),
    "POST /api/desk/work-orders/{work_order_id}/send-code": obj(work_order_id="work_order"),
    # another project's price list is a 400 on project (its documented answer), never its prices
    "GET /api/desk/prices": coll(),
    "GET /api/desk/holidays": coll(),
    "GET /api/desk/holidays/{year}": coll(year=Lit("2027")),
    "PUT /api/desk/holidays/{year}": coll(year=Lit("2027"), body={"holidays": [], "workdays": []}),
    # follow-ups
    "GET /api/followups/rates": coll(),
    "GET /api/followups/visits": coll(),
    "GET /api/followups/visits/{visit_id}": obj(**VISIT_PARAM),
    "POST /api/followups/visits/{visit_id}/attempts": obj(**VISIT_PARAM, body={"outcome": "no_answer"}),
    "POST /api/followups/visits/{visit_id}/reschedule": obj(**VISIT_PARAM, body={
        "due_by": "2026-12-20T10:00:00+08:00", "reason": "越权"}),
    "POST /api/followups/visits/{visit_id}/record": obj(**VISIT_PARAM, body=RECORD),
    "POST /api/followups/visits/{visit_id}/review": obj(**VISIT_PARAM, body={"comment": "越权点评"}),
    # reports
    "GET /api/reports/registers/{name}": coll(name=Lit("requests")),
    "GET /api/reports/registers/{name}/export": coll(name=Lit("complaints")),
    "GET /api/reports/complaints/summary": coll(),
    "GET /api/reports/visits/statistics": coll(),
    # a project outside the caller's scope is a 400 on project, the same answer as for no such project
    "GET /api/reports/public/{project_id}/{month}": obj(project_id="project", month="month", ok=(400,)),
    "GET /api/reports/kpis": coll(),
    "GET /api/reports/dashboard": coll(),
    # fees: reports (issue 12); another scope's project in a body is a 400 on project_id
    "GET /api/fees/reports/collection": coll(),
    "GET /api/fees/reports/aging": coll(),
    "GET /api/fees/reports/closing": coll(),
    "POST /api/fees/reports/closing": coll(body={"project_id": "@project", "day": Lit("2026-11-23"),
                                                 "counted_cash": Lit("0"), "note": "越权日结"}),
    "PUT /api/fees/targets": coll(body={"project_id": "@project", "year": 2026, "rate": Lit("90")}),
    # inbox: another user's notification is a 404 and stays unread
    "GET /api/inbox": coll(),
    "GET /api/inbox/count": coll(),
    "POST /api/inbox/{notification_id}/read": obj(notification_id="notification"),
    "POST /api/inbox/read-all": coll(),
    # notices: the resident's (staff 403) and the staff's (residents 403)
    "GET /api/notices": coll(),
    "GET /api/notices/unread-count": coll(),
    "GET /api/notices/{notice_id}": obj(notice_id="notice", control="resident"),
    "POST /api/notices/{notice_id}/read": obj(notice_id="notice", control="resident"),
    "GET /api/notices/manage": coll(),
    "POST /api/notices/manage": coll(body=NOTICE_API, mixed={**NOTICE_API, "project_id": "@own:project"}),
    "GET /api/notices/manage/{notice_id}": obj(notice_id="notice"),
    "POST /api/notices/manage/{notice_id}/withdraw": obj(notice_id="notice"),
    # the resident's portal
    "GET /api/portal/me": coll(),
    "GET /api/portal/requests": coll(),
    "GET /api/portal/requests/{request_id}": obj(request_id="request", control="resident"),
    "POST /api/portal/requests": coll(body={"kind": "repair", "description": "越权测试：报修", "home_id": "@occupancy"},
                                      multipart=True),  # another household's home: 404; staff: 403
    "POST /api/portal/requests/{request_id}/comments": obj(request_id="request", control="resident", multipart=True,
                                                           body={"text": "越权留言"}),
    "POST /api/portal/requests/{request_id}/cancel": obj(request_id="request", control="resident",
                                                         body={"reason": "越权撤销"}),
    "POST /api/portal/requests/{request_id}/hurry": obj(request_id="request", control="resident"),
    "POST /api/portal/requests/{request_id}/work-orders/{work_order_id}/quote/agree": obj(
        request_id="request", work_order_id="work_order", control="resident"),
    "POST /api/portal/requests/{request_id}/work-orders/{work_order_id}/quote/decline": obj(
        request_id="request", work_order_id="work_order", control="resident", body={"reason": "越权"}),
    "POST /api/portal/requests/{request_id}/work-orders/{work_order_id}/confirm": obj(
        request_id="request", work_order_id="work_order", control="resident"),
    "POST /api/portal/requests/{request_id}/rate": obj(request_id="request", control="resident",
                                                       body={"satisfaction": 5, "comment": "越权评价"}),
    "GET /api/portal/receipts": coll(),
    "GET /api/portal/receipts/{receipt_id}": obj(receipt_id="receipt", control="resident"),
    "GET /api/portal/photos/{photo_id}": obj(photo_id="attachment", control="resident"),
    # phone sign-in: no sign-in needed; another scope's occupancy as `home` is a 404 and issues nothing
    "POST /api/auth/sms-code": public(body={"phone": Lit("13800000000")}),
    "POST /api/auth/sms-login": public(body={"phone": Lit("13800000000"), "code": Lit("000000"), "home": "@occupancy"}),
    "POST /api/auth/switch-home": coll(body={"home": "@occupancy"}),
    # fees: adjustments, late fees, refunds (issue 12)
    "POST /api/fees/bills/{bill_id}/adjustments": obj(bill_id="bill", body={
        "kind": "waiver", "amount": "1.00", "reason": "越权减免理由"}),
    "POST /api/fees/adjustments/{adjustment_id}/decision": obj(adjustment_id="adjustment", body={
        "approve": False, "note": "越权拒绝"}),
    "GET /api/fees/approvals": coll(),
    "GET /api/fees/homes/{room_id}/adjustments": obj(room_id="room"),
    "GET /api/fees/homes/{room_id}/late-fees": obj(room_id="room"),
    "POST /api/fees/homes/{room_id}/late-fees": obj(room_id="room"),
    "POST /api/fees/homes/{room_id}/refunds": obj(room_id="room", body={
        "amount": "1.00", "method": "cash", "reason": "越权退款理由"}),
    "POST /api/fees/refunds/{refund_id}/decision": obj(refund_id="refund", body={"approve": False, "note": "越权拒绝"}),
    # fees, the resident's (issue 12 online): staff 403; another scope's bill in an order is a 400, nothing written
    "GET /api/fees/my/account": coll(),
    "POST /api/fees/my/orders": coll(body={"bill_ids": ["@bill"], "method": Lit("wechat")}),
    "GET /api/fees/my/orders/{out_trade_no}": obj(out_trade_no="out_trade_no", control="resident"),
    # the gateway's callback: no sign-in; a forged signature on another scope's order is a 400 and changes nothing
    "POST /api/fees/gateway/callback": public(body={
        "out_trade_no": "@out_trade_no", "gateway_txn": Lit("FORGED0001"), "amount_fen": 1, "status": Lit("success"),
        "timestamp": 1795400000, "nonce": Lit("forged"), "sign": Lit("0" * 64)}),
    # fees, finance's side (setup)
    "GET /api/fees/items": coll(),
    "POST /api/fees/items": coll(body={"project_id": "@project", "code": "xscope", "name": "越权项目",
                                       "kind": "fixed"}),
    "POST /api/fees/items/{item_id}/rates": obj(item_id="fee_item", body={"effective_from": "2027-01-01",
                                                                         "rate": "9.99"}),
    "GET /api/fees/runs": coll(),
    "POST /api/fees/runs": coll(body={"project_id": "@project", "period": "2026-12"}),
    "GET /api/fees/runs/{run_id}": obj(run_id="billing_run"),
    "GET /api/fees/readings": coll(query={"item": "@fee_item"}),
    "POST /api/fees/readings": coll(body={"room_id": "@room", "item_id": "@fee_item", "period": "2026-11",
                                          "reading": "1"}),
    "POST /api/fees/homes/{room_id}/one-off": obj(room_id="room", body={"item_id": "@fee_item", "amount": "1"}),
    "POST /api/fees/homes/{room_id}/subscriptions": obj(room_id="room", body={"item_id": "@fee_item",
                                                                              "start_date": "2026-12-01"}),
    # fees, dunning: another scope's home is a 404; another scope's project on the ladder a 400 on project
    "GET /api/fees/arrears": coll(query={"sort": Lit("age")}),
    "GET /api/fees/arrears/{room_id}": obj(room_id="room"),
    "POST /api/fees/arrears/{room_id}/contacts": obj(room_id="room", body={"channel": "phone",
                                                                           "outcome": "no_answer"}),
    "POST /api/fees/arrears/{room_id}/dispute": obj(room_id="room", body={"open": True, "note": "越权争议"}),
    "GET /api/fees/ladder": coll(),
    "PUT /api/fees/ladder": coll(body={"steps": [{"code": "sms_x", "kind": "sms", "after_days": 1}]}),
    # fees: the front desk. A payment naming another scope's bill for one's own home is a 400 (not an open bill of
    # this home) and pays nothing.
    "GET /api/fees/homes": coll(),
    "GET /api/fees/homes/{room_id}": obj(room_id="room"),
    "POST /api/fees/homes/{room_id}/payments": obj(room_id="room", body=DESK_PAYMENT, mixed=DESK_PAYMENT),
    "GET /api/fees/payments/{payment_id}": obj(payment_id="fee_payment"),
    "POST /api/fees/payments/{payment_id}/void": obj(payment_id="fee_payment", body={"reason": "越权作废"}),
    # issue 13: roster — another scope's project, shift or entry is a 404; a shift of one's own project with
    # another scope's person is a 400 on user_id (not someone of this department), nothing written
    "GET /api/duty/shifts": coll(),
    "POST /api/duty/shifts": coll(body={"project_id": "@project", "name": "越权班次", "starts": Lit("08:00"),
                                        "ends": Lit("16:00")}),
    "GET /api/duty/shifts/{shift_id}": obj(shift_id="roster_shift"),
    "PATCH /api/duty/shifts/{shift_id}": obj(shift_id="roster_shift", body={"name": "越权班次"}),
    "DELETE /api/duty/shifts/{shift_id}": obj(shift_id="roster_shift"),
    "GET /api/duty/roster": coll(),
    "POST /api/duty/roster": coll(body={"shift_id": "@roster_shift", "day": Lit("2026-11-30"),
                                        "user_id": "@roster_person"}),
    "POST /api/duty/roster/copy": coll(body={"project_id": "@project", "week": Lit("2026-11-30")}),
    "DELETE /api/duty/roster/{entry_id}": obj(entry_id="roster_entry"),
    "GET /api/duty/on-duty": coll(),
    "GET /api/duty/gaps": coll(),
    # issue 13: staffdesk — staff of a project (MANAGE_STAFF; another project's member or project is a 404) and the
    # dispatch suggestions (DISPATCH; another scope's request a 404, with one's own request another project's
    # department a 400)
    "GET /api/staff/choices": coll(),
    "GET /api/staff/members": coll(query={"skill": Lit("lift")}),
    "POST /api/staff/members": coll(body={"project_id": "@project", "display_name": "越权新人", "role": "agent",
                                          "mobile": "13900009998"}),
    "GET /api/staff/members/{member_id}": obj(member_id="staff_member"),
    "PATCH /api/staff/members/{member_id}": obj(member_id="staff_member", body={"display_name": "越权改名"}),
    "POST /api/staff/members/{member_id}/deactivate": obj(member_id="staff_member", body={}),
    "POST /api/staff/members/{member_id}/reactivate": obj(member_id="staff_member", body={}),
    "POST /api/staff/members/{member_id}/certificates": obj(member_id="staff_member", body={
        "kind": "welder", "number": "越权证书", "valid_until": "2030-01-01"}),
    "DELETE /api/staff/members/{member_id}/certificates/{certificate_id}": obj(member_id="staff_member",
                                                                               certificate_id="staff_certificate"),
    "GET /api/desk/requests/{request_id}/assignee-suggestions": obj(request_id="request",
                                                                    query={"department": "@department"}),
    # issue 13: logs
    "GET /api/duty/logs": coll(query={"kind": Lit("duty")}),
    "POST /api/duty/logs": coll(body={"kind": Lit("duty"), "shift_id": "@logs_shift", "day": Lit("2026-11-23")}),
    "GET /api/duty/logs/{log_id}": obj(log_id="duty_log"),
    "PUT /api/duty/logs/{log_id}": obj(log_id="duty_log", body={"body": "越权改写", "items": [{"text": "越权事项"}]}),
    "POST /api/duty/logs/{log_id}/submit": obj(log_id="duty_log"),
    "POST /api/duty/logs/{log_id}/acknowledge": obj(log_id="duty_log"),
    "POST /api/duty/logs/{log_id}/comments": obj(log_id="duty_log", body={"body": "越权批示"}),
    "POST /api/duty/logs/{log_id}/sign": obj(log_id="duty_log"),
    "GET /api/steward/morning": coll(),
    # issue 13: zones — another scope's project is a 400 on the filter, a 404 in a body; another scope's task a 404;
    # its buildings or steward sent for A's project a 422
    "GET /api/steward/zones": coll(query={"project_id": "@project"}),
    "POST /api/steward/zones/assign": coll(
        body={"project_id": "@project", "building_ids": ["@zone_building"], "steward_id": "@zone_steward"},
        mixed={"project_id": "@own:project", "building_ids": ["@zone_building"], "steward_id": "@zone_steward"}),
    "GET /api/steward/contacts": coll(),
    "POST /api/steward/contacts/{task_id}/complete": obj(task_id="contact_task",
                                                          body={"method": "phone", "note": "越权联系记录"}),
    # issue 13: visits — home visits 拜访: another scope's plan, visit or resident is a 404, its project a 404
    "GET /api/steward/visits/plans": coll(),
    "POST /api/steward/visits/plans": coll(body={"project_id": "@project", "target": "segment:pragmatic",
                                                 "frequency": "yearly"}),
    "PUT /api/steward/visits/plans/{plan_id}": obj(plan_id="visit_plan", body={"target": "vip",
                                                                              "frequency": "yearly"}),
    "DELETE /api/steward/visits/plans/{plan_id}": obj(plan_id="visit_plan"),
    "GET /api/steward/visits/due": coll(),
    "GET /api/steward/visits": coll(),
    "POST /api/steward/visits": coll(body={"resident_id": "@resident", **HOME_VISIT_API}),
    "GET /api/steward/visits/{visit_id}": obj(visit_id="home_visit"),
    "GET /api/steward/visits/counts": coll(),
    # issue 13: patrols — another scope's plan, checkpoint, round or token is a 404; a plan for another project a
    # 400 on project_id; A's round in progress is the agent's, so the admin's control is refused with a 403/409
    "GET /api/steward/patrols/plans": coll(),
    "POST /api/steward/patrols/plans": coll(body=PATROL_PLAN_API),
    "GET /api/steward/patrols/plans/{plan_id}": obj(plan_id="patrol_plan"),
    "PUT /api/steward/patrols/plans/{plan_id}": obj(plan_id="patrol_plan", body=PATROL_PLAN_API),
    "POST /api/steward/patrols/plans/{plan_id}/checkpoints": obj(plan_id="patrol_plan", body=PATROL_POINT_API),
    "PUT /api/steward/patrols/checkpoints/{checkpoint_id}": obj(checkpoint_id="patrol_checkpoint",
                                                               body=PATROL_POINT_API),
    "DELETE /api/steward/patrols/checkpoints/{checkpoint_id}": obj(checkpoint_id="patrol_checkpoint"),
    "GET /api/steward/patrols/rounds": coll(),
    "GET /api/steward/patrols/rounds/{round_id}": obj(round_id="patrol_round"),
    "POST /api/steward/patrols/rounds/{round_id}/start": obj(round_id="patrol_round"),
    "POST /api/steward/patrols/rounds/{round_id}/finish": obj(round_id="patrol_round"),
    "POST /api/steward/patrols/rounds/{round_id}/checkpoints/{checkpoint_id}": obj(
        round_id="patrol_round", checkpoint_id="patrol_checkpoint", body={"results": Lit('[{"fine": true}]')},
        multipart=True),
    "GET /api/steward/patrols/scan/{token}": obj(token="patrol_token"),
    "GET /api/steward/patrols/report": coll(query={"month": Lit("2026-11")}),
    # issue 13: vacant — another scope's home is a 404; another scope's project a 400 on project_id
    "GET /api/steward/vacant/homes": coll(query={"overdue": Lit("true")}),
    "GET /api/steward/vacant/homes/{room_id}": obj(room_id="vacant_room"),
    "POST /api/steward/vacant/homes/{room_id}/inspections": obj(room_id="vacant_room", multipart=True,
                                                                body={"data": Lit('{"items": []}')}),
    "GET /api/steward/vacant/inspections": coll(query={"room": "@vacant_room"}),
    "GET /api/steward/vacant/checklist": coll(query={"project_id": "@project"}),
    "PUT /api/steward/vacant/checklist": coll(body={"project_id": "@project", "items": ["越权检查项"],
                                                    "interval_days": 7}),
    # issue 14: renovation applications — another scope's renovation or home is a 404, its project a 400
    "GET /api/renovation/applications": coll(query={"status": Lit("open")}),
    "POST /api/renovation/applications": coll(body={
        "room_id": "@room", "items": ["wall_finish"], "contractor_name": "越权装修", "contractor_contact": "某",
        "contractor_phone": "13611112222", "planned_start": "2026-11-30", "planned_end": "2026-12-10",
        "workers": [{"name": "越权工人", "id_number": "110105198806052010"}]}),
    "GET /api/renovation/applications/{renovation_id}": obj(renovation_id="renovation"),
    "POST /api/renovation/applications/{renovation_id}/withdraw": obj(renovation_id="renovation_closed", body={}),
    "POST /api/renovation/applications/{renovation_id}/decide": obj(renovation_id="renovation_closed",
                                                                     body={"decision": "approved"}),
    "GET /api/renovation/settings": coll(query={"project_id": "@project"}),
    "PUT /api/renovation/settings": coll(body={"project_id": "@project", "checklist": ["越权检查项"]}),
    # issue 14: movein — another scope's slot, booking, home or handover is a 404; its project, building, home or
    # buyer in a body a 400 on that field
    "GET /api/movein/slots": coll(),
    "POST /api/movein/slots": coll(body={"project_id": "@project", "starts_at": Lit("2026-12-01T09:00:00+08:00"),
                                         "ends_at": Lit("2026-12-01T09:30:00+08:00"), "capacity": 2}),
    "POST /api/movein/slots/batch": coll(body={"project_id": "@project", "day": Lit("2026-12-01"),
                                               "first": Lit("09:00"), "last_end": Lit("10:00")}),
    "GET /api/movein/buyers": coll(),
    "POST /api/movein/buyers": coll(body={"room_id": "@handover_room", "name": "越权买受人",
                                          "mobile": Lit("13600009999")}),
    "GET /api/movein/bookings": coll(),
    "POST /api/movein/bookings": coll(body={"buyer_id": "@handover_buyer", "slot_id": "@handover_slot"}),
    "POST /api/movein/bookings/{booking_id}/cancel": obj(booking_id="handover_booking"),
    "POST /api/movein/rooms/{room_id}/handover": obj(room_id="handover_room", multipart=True,
                                                     body={"data": Lit('{"documents": [], "areas": []}')}),
    "GET /api/movein/handovers/{handover_id}": obj(handover_id="handover"),
    "GET /api/movein/defects": coll(query={"building": "@building"}),
    "GET /api/movein/settings": coll(query={"project_id": "@project"}),
    "PUT /api/movein/settings": coll(body={"project_id": "@project", "defect_days": 10}),
    # issue 14: renovation inspections — another scope's renovation, acceptance or link: 404
    "GET /api/renovation/inspections/worklist": coll(),
    "GET /api/renovation/{renovation_id}/inspections": obj(renovation_id="reno_insp"),
    "POST /api/renovation/{renovation_id}/inspections": obj(renovation_id="reno_insp", multipart=True, body={
        "data": '{"items": [{"item": "施工时间符合规定", "passed": true}], "note": "越权巡检"}'}),
    "GET /api/renovation/rectifications": coll(query={"renovation": "@reno_insp"}),
    "POST /api/renovation/{renovation_id}/acceptance/request": obj(renovation_id="reno_insp", body={}),
    "POST /api/renovation/{renovation_id}/acceptance": obj(renovation_id="reno_insp", body={
        "passed": False, "note": "越权验收"}),
    "GET /api/renovation/acceptances": coll(),
    "POST /api/renovation/acceptances/{acceptance_id}/decision": obj(acceptance_id="reno_insp_acceptance", body={
        "approve": False, "note": "越权拒绝"}),
    "GET /api/renovation/{renovation_id}/complaints": obj(renovation_id="reno_insp"),
    "POST /api/renovation/{renovation_id}/complaints": obj(renovation_id="reno_insp", body={
        "request_id": "@reno_insp_complaint"}, mixed={"request_id": "@reno_insp_complaint"}),
    "DELETE /api/renovation/complaints/{link_id}": obj(link_id="reno_insp_link"),
    # issue 14: violations — another scope's violation is a 404 on every step
    "GET /api/violations/": coll(query={"overdue": Lit("true"), "status": Lit("open")}),
    "POST /api/violations/": coll(multipart=True, body={
        "data": Lit('{"kind": "fire_lane", "description": "越权违章", "location": "越权地点"}')}),
    "GET /api/violations/{violation_id}": obj(violation_id="violation"),
    "POST /api/violations/{violation_id}/notices": obj(violation_id="violation", body={
        "text": "越权通知", "deadline": "2026-12-30", "channel": "app"}),
    "POST /api/violations/{violation_id}/follow-ups": obj(violation_id="violation", multipart=True,
                                                          body={"fixed": Lit("false"), "note": "越权复查"}),
    "POST /api/violations/{violation_id}/escalate": obj(violation_id="violation", body={"reason": "越权升级"}),
    "POST /api/violations/{violation_id}/refer": obj(violation_id="violation", body={"authority": "police",
                                                                                     "note": "越权移交"}),
    "POST /api/violations/{violation_id}/close": obj(violation_id="violation", body={"outcome": "越权关闭"}),
    "POST /api/violations/{violation_id}/renovation": obj(violation_id="violation", body={"renovation_id": None}),
    "GET /api/violations/report": coll(query={"months": Lit("12")}),
    # issue 16: triage reads the text only, stores nothing and shows no scope's data
    "POST /api/desk/triage": coll(body={"text": "越权测试：楼上漏水到我家了，3-2-1802", "channel": "phone"}),
    # issue 16: the service-language check (any staff member; residents 403) and its report (VIEW_REPORTS)
    "POST /api/wording/check": coll(body={"text": "不知道，这不归我们管"}),
    "GET /api/wording/report": coll(query={"months": Lit("12")}),
    # issue 16: knowledge
    "GET /api/knowledge/cases": coll(query={"category": Lit("repair")}),
    "POST /api/knowledge/cases": coll(body={"title": "越权案例", "category": "repair", "happened": "越权案例经过",
                                            "project_id": "@project", "source_request_id": "@request"}),
    "GET /api/knowledge/cases/{case_id}": obj(case_id="case"),
    "GET /api/knowledge/similar": coll(query={"text": "@query"}),
    "GET /api/knowledge/answers": coll(),
    "POST /api/knowledge/answers": coll(body={"topic": "越权主题", "question": "越权问题", "answer": "越权答复",
                                              "project_id": "@project"}),
    # mixed: the caller's own answer (a project's) with another scope's project is refused (400)
    "POST /api/knowledge/answers/{answer_id}/close": obj(answer_id="standard_answer", body={
        "contact_name": "越权来电", "question": "越权咨询", "reply": "越权答复", "project_id": "@project"},
        mixed={"contact_name": "越权来电", "question": "越权咨询", "project_id": "@project"}),
}
