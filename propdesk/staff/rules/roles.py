"""Roles and what each may do. Pure data: no Django.

A role's capabilities are fixed here; *where* a user may use them is the data scope on the profile.
"""

from enum import StrEnum


class Capability(StrEnum):
    VIEW_ARCHIVE = "view_archive"  # org tree, rooms, residents within scope
    EDIT_ORG = "edit_org"  # buildings, units, rooms, common areas, departments
    EDIT_CUSTOMERS = "edit_customers"  # residents, phones, occupancies
    IMPORT = "import"  # Excel import of rooms and residents
    EXPORT = "export"  # Excel export of the archive
    REVEAL_PHONE = "reveal_phone"
    REVEAL_ID = "reveal_id"
    MANAGE_STAFF = "manage_staff"
    RECORD_REQUESTS = "record_requests"  # anyone who hears of something records it (DESIGN §4)
    DISPATCH = "dispatch"  # send work orders, see the dispatch queue
    HANDLE_ORDERS = "handle_orders"  # field staff: my work orders, the pool
    REPLY = "reply"  # answer the resident and close
    ACKNOWLEDGE = "acknowledge"  # take a complaint into handling: important (project manager), major (branch leader)
    VISIT = "visit"  # make follow-up visits 回访
    REVIEW_VISITS = "review_visits"  # the project manager reviews every visit record
    VIEW_RATES = "view_rates"  # visit and satisfaction rates
    VIEW_REPORTS = "view_reports"  # registers, complaint summary, visit statistics, KPIs, dashboards
    VIEW_DASHBOARD = "view_dashboard"  # the dashboard of one's role (an agent: today's queue figures)
    PUBLISH_REPORTS = "publish_reports"  # the project manager publishes the monthly service report to residents
    EDIT_CALENDAR = "edit_calendar"  # the admin enters a year's statutory holidays and 调休 the package lacks
    VIEW_REGISTERS = "view_registers"  # the registers 台账 (requests, complaints, visits, work orders), read only
    VIEW_PRICES = "view_prices"  # the price list of paid repairs, read only (agents quote prices on the phone)
    VIEW_OPERATIONS = "view_operations"  # the operations page: workers, outbox and task backlog (admins)
    PUBLISH_NOTICES = "publish_notices"  # notices 公告 to a project's residents: customer service and leaders
    # Fees 收费 (issue 12)
    VIEW_ACCOUNTS = "view_accounts"  # a home's account: bills, payments, prepayment, arrears
    TAKE_PAYMENTS = "take_payments"  # the front desk takes payments and prints receipts; voids its own mistakes
    MANAGE_BILLING = "manage_billing"  # finance: fee items and rates, billing runs, corrections, opening balances
    APPROVE_FEES = "approve_fees"  # a manager approves reductions 减免, late-fee waivers and refunds
    CHASE_FEES = "chase_fees"  # the arrears worklist: contacts, promises to pay, dunning letters
    ENTER_READINGS = "enter_readings"  # meter readings 抄表 on the phone
    VIEW_FEE_REPORTS = "view_fee_reports"  # collection rate, aging, daily closing, exports
    # Rosters 排班 (issue 13: roster)
    VIEW_ROSTERS = "view_rosters"  # shift kinds, the roster grid, who is on duty now, coverage gaps
    MANAGE_ROSTERS = "manage_rosters"  # the project manager edits shift kinds and schedules people
    # issue 13: logs. Work and duty logs 工作日志 / 值班记录: staff write their own and acknowledge the previous shift's
    # (WRITE_LOGS); managers and leaders read them (VIEW_LOGS, also the morning page); SIGN_LOGS comments 批示 and
    # signs: a project manager any log of the project, an agent (the customer-service assistant 客服助理) the
    # stewards' work logs only (duty/rules/logs.may_sign).
    WRITE_LOGS = "write_logs"
    VIEW_LOGS = "view_logs"
    SIGN_LOGS = "sign_logs"
    # issue 13: zones 责任区
    VIEW_ZONES = "view_zones"  # the zones page: the steward of each building, load per steward, late first contacts
    MANAGE_ZONES = "manage_zones"  # reassign buildings to stewards; record any steward's first contact
    CONTACT_RESIDENTS = "contact_residents"  # a steward's first-contact worklist 首次联系
    # issue 13: visits — home visits 拜访 (not the follow-up visits 回访 of VISIT)
    HOME_VISITS = "home_visits"  # record home visits, see the due list (a steward their zone's, a manager all)
    PLAN_HOME_VISITS = "plan_home_visits"  # the project manager says whom to visit how often
    # issue 13: patrols 巡检
    PATROL = "patrol"  # do patrol rounds on the phone: stewards, the assistant (agent), field staff, the PM
    MANAGE_PATROLS = "manage_patrols"  # patrol plans, checkpoints, schedules and their QR sheets (the PM)
    # issue 13: vacant — vacant homes 空置房
    VIEW_VACANT = "view_vacant"  # the list of vacant homes and each home's inspection record
    INSPECT_VACANT = "inspect_vacant"  # inspect vacant homes on the phone; not-fine items become requests
    EDIT_VACANT_CHECKLIST = "edit_vacant_checklist"  # the project's vacant-home checklist and how often
    # issue 14: renovation 装修, move-in 入伙/交房, violations 违章
    VIEW_RENOVATIONS = "view_renovations"  # applications, permits, inspections, acceptance of the scope
    RECORD_RENOVATIONS = "record_renovations"  # take an application at the desk for a resident; withdraw it
    APPROVE_RENOVATIONS = "approve_renovations"  # approve (with conditions) or refuse; approve the deposit refund
    INSPECT_RENOVATIONS = "inspect_renovations"  # daily inspections, rectification notices, re-inspections, 验收
    EDIT_RENOVATION_RULES = "edit_renovation_rules"  # the project's forbidden items, hours, quiet days, deposit
    VIEW_HANDOVERS = "view_handovers"  # handover slots, bookings, checklists, open defects per building
    MANAGE_HANDOVER_SLOTS = "manage_handover_slots"  # open and close the project's handover slots
    HANDOVER = "handover"  # book for a buyer, run the handover checklist, record defects
    VIEW_VIOLATIONS = "view_violations"  # the violations of the scope and the counts per building and month
    RECORD_VIOLATIONS = "record_violations"  # record a violation with photos (any staff member)
    HANDLE_VIOLATIONS = "handle_violations"  # notices to the household, follow-up inspections, closing
    ESCALATE_VIOLATIONS = "escalate_violations"  # take over from the steward; flag for referral to the authorities
    # issue 16: knowledge — the case library 案例库 and standard answers 标准答复
    VIEW_KNOWLEDGE = "view_knowledge"  # read cases and standard answers of the scope
    RECORD_CASES = "record_cases"  # save a handled request as a case, write and edit cases
    EDIT_ANSWERS = "edit_answers"  # write and edit standard answers (PMs their project's, quality the company's)


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # Agents keep the registers (投诉登记表, 回访记录表 …) of their project and quote paid repairs on the phone.
    "agent": frozenset({C.VIEW_ARCHIVE, C.EDIT_CUSTOMERS, C.REVEAL_PHONE, C.RECORD_REQUESTS, C.DISPATCH, C.REPLY,
                        C.VISIT, C.VIEW_RATES, C.VIEW_DASHBOARD, C.VIEW_REGISTERS, C.VIEW_PRICES, C.PUBLISH_NOTICES,
                        C.VIEW_ACCOUNTS, C.TAKE_PAYMENTS}),
    "steward": frozenset({C.VIEW_ARCHIVE, C.EDIT_CUSTOMERS, C.REVEAL_PHONE, C.REVEAL_ID, C.RECORD_REQUESTS, C.REPLY,
                        C.PUBLISH_NOTICES, C.VIEW_ACCOUNTS, C.TAKE_PAYMENTS, C.CHASE_FEES, C.ENTER_READINGS}),
    # Technicians and department staff get contact details through their work orders, not the archive.
    "technician": frozenset({C.VIEW_ARCHIVE, C.RECORD_REQUESTS, C.HANDLE_ORDERS, C.ENTER_READINGS}),
    "dept_staff": frozenset({C.VIEW_ARCHIVE, C.RECORD_REQUESTS, C.HANDLE_ORDERS}),
    "project_manager": frozenset({C.VIEW_ARCHIVE, C.EDIT_ORG, C.EDIT_CUSTOMERS, C.IMPORT, C.EXPORT,
                                  C.REVEAL_PHONE, C.REVEAL_ID, C.RECORD_REQUESTS, C.DISPATCH, C.REPLY,
                                  C.ACKNOWLEDGE, C.VISIT, C.REVIEW_VISITS, C.VIEW_RATES, C.VIEW_REPORTS,
                                  C.VIEW_DASHBOARD, C.PUBLISH_REPORTS, C.PUBLISH_NOTICES, C.VIEW_ACCOUNTS,
                                  C.APPROVE_FEES, C.CHASE_FEES, C.ENTER_READINGS, C.VIEW_FEE_REPORTS}),
    # The branch leadership takes major complaints into handling and then acts on them like a project manager:
    # dispatches and reassigns the work, answers the resident (DESIGN §4).
    "branch_leader": frozenset({C.VIEW_ARCHIVE, C.EXPORT, C.REVEAL_PHONE, C.RECORD_REQUESTS, C.ACKNOWLEDGE,
                                C.DISPATCH, C.REPLY, C.VISIT, C.VIEW_RATES, C.VIEW_REPORTS, C.VIEW_DASHBOARD,
                                C.PUBLISH_NOTICES, C.VIEW_ACCOUNTS, C.APPROVE_FEES, C.VIEW_FEE_REPORTS}),
    "quality": frozenset({C.VIEW_ARCHIVE, C.EXPORT, C.REVEAL_PHONE, C.RECORD_REQUESTS, C.VIEW_RATES,
                          C.VIEW_REPORTS, C.VIEW_DASHBOARD}),
    # Finance 财务: fee items, rates and billing runs, corrections, opening balances, payments and the daily
    # closing, the reports; reductions and refunds they ask for are approved by a manager.
    "finance": frozenset({C.VIEW_ARCHIVE, C.REVEAL_PHONE, C.EXPORT, C.VIEW_ACCOUNTS, C.TAKE_PAYMENTS,
                          C.MANAGE_BILLING, C.CHASE_FEES, C.ENTER_READINGS, C.VIEW_FEE_REPORTS}),
    "admin": frozenset(set(Capability)),
    "resident": frozenset(),
}

# The steward's and the center's day (issue 13): rosters 排班, work and duty logs 日志 (SIGN_LOGS: a project manager
# any log, an agent — the customer-service assistant 客服助理 — the stewards' work logs: duty/rules/logs.may_sign),
# zones 责任区 and first contact, home visits 拜访, patrols 巡检, vacant homes 空置房, and the project's staff.
STEWARDS_DAY: dict[str, frozenset[Capability]] = {
    "agent": frozenset({C.VIEW_ROSTERS, C.WRITE_LOGS, C.VIEW_LOGS, C.SIGN_LOGS, C.PATROL, C.VIEW_VACANT}),
    "steward": frozenset({C.VIEW_ROSTERS, C.WRITE_LOGS, C.VIEW_LOGS, C.CONTACT_RESIDENTS, C.HOME_VISITS, C.PATROL,
                          C.VIEW_VACANT, C.INSPECT_VACANT}),
    "technician": frozenset({C.VIEW_ROSTERS, C.WRITE_LOGS, C.VIEW_LOGS, C.PATROL}),
    "dept_staff": frozenset({C.VIEW_ROSTERS, C.WRITE_LOGS, C.VIEW_LOGS, C.PATROL}),
    "project_manager": frozenset({C.VIEW_ROSTERS, C.MANAGE_ROSTERS, C.WRITE_LOGS, C.VIEW_LOGS, C.SIGN_LOGS,
                                  C.VIEW_ZONES, C.MANAGE_ZONES, C.CONTACT_RESIDENTS, C.HOME_VISITS,
                                  C.PLAN_HOME_VISITS, C.PATROL, C.MANAGE_PATROLS, C.VIEW_VACANT, C.INSPECT_VACANT,
                                  C.EDIT_VACANT_CHECKLIST, C.MANAGE_STAFF}),
    "branch_leader": frozenset({C.VIEW_ROSTERS, C.VIEW_LOGS, C.SIGN_LOGS, C.VIEW_ZONES, C.VIEW_VACANT}),
    "quality": frozenset({C.VIEW_ROSTERS, C.VIEW_LOGS, C.VIEW_VACANT}),
}

# Renovation, move-in and violations (issue 14): the steward inspects renovations, runs handovers and follows
# violations in their zone; the project manager approves renovations and deposit refunds, opens handover slots,
# escalates violations and refers them; every staff member records a violation they see.
WEEK_PROCESSES: dict[str, frozenset[Capability]] = {
    "agent": frozenset({C.VIEW_RENOVATIONS, C.RECORD_RENOVATIONS, C.VIEW_HANDOVERS, C.HANDOVER, C.VIEW_VIOLATIONS,
                        C.RECORD_VIOLATIONS}),
    "steward": frozenset({C.VIEW_RENOVATIONS, C.RECORD_RENOVATIONS, C.INSPECT_RENOVATIONS, C.VIEW_HANDOVERS,
                          C.HANDOVER, C.VIEW_VIOLATIONS, C.RECORD_VIOLATIONS, C.HANDLE_VIOLATIONS}),
    "technician": frozenset({C.RECORD_VIOLATIONS}),
    "dept_staff": frozenset({C.RECORD_VIOLATIONS}),
    "project_manager": frozenset({C.VIEW_RENOVATIONS, C.RECORD_RENOVATIONS, C.APPROVE_RENOVATIONS,
                                  C.INSPECT_RENOVATIONS, C.EDIT_RENOVATION_RULES, C.VIEW_HANDOVERS,
                                  C.MANAGE_HANDOVER_SLOTS, C.HANDOVER, C.VIEW_VIOLATIONS, C.RECORD_VIOLATIONS,
                                  C.HANDLE_VIOLATIONS, C.ESCALATE_VIOLATIONS}),
    "branch_leader": frozenset({C.VIEW_RENOVATIONS, C.VIEW_HANDOVERS, C.VIEW_VIOLATIONS, C.ESCALATE_VIOLATIONS}),
    "quality": frozenset({C.VIEW_RENOVATIONS, C.VIEW_HANDOVERS, C.VIEW_VIOLATIONS}),
    "finance": frozenset({C.VIEW_RENOVATIONS}),
}
# The knowledge of the center (issue 16): whoever answers residents reads the cases and standard answers; those who
# handle requests save them as cases; project managers and quality staff keep the standard answers.
KNOWLEDGE: dict[str, frozenset[Capability]] = {
    "agent": frozenset({C.VIEW_KNOWLEDGE, C.RECORD_CASES}),
    "steward": frozenset({C.VIEW_KNOWLEDGE, C.RECORD_CASES}),
    "project_manager": frozenset({C.VIEW_KNOWLEDGE, C.RECORD_CASES, C.EDIT_ANSWERS}),
    "branch_leader": frozenset({C.VIEW_KNOWLEDGE, C.RECORD_CASES}),
    "quality": frozenset({C.VIEW_KNOWLEDGE, C.RECORD_CASES, C.EDIT_ANSWERS}),
}
ROLE_CAPABILITIES = {role: capabilities | STEWARDS_DAY.get(role, frozenset()) | WEEK_PROCESSES.get(role, frozenset())
                     | KNOWLEDGE.get(role, frozenset())
                     for role, capabilities in ROLE_CAPABILITIES.items()}

# A capability that includes reading what it works on: report readers read the registers, whoever edits the price
# list reads it.
IMPLIED: dict[Capability, frozenset[Capability]] = {
    C.VIEW_REPORTS: frozenset({C.VIEW_REGISTERS}),
    C.EDIT_ORG: frozenset({C.VIEW_PRICES}),
}
ROLE_CAPABILITIES = {role: capabilities.union(*(IMPLIED.get(c, frozenset()) for c in capabilities))
                     for role, capabilities in ROLE_CAPABILITIES.items()}

# The scope level each role is normally given; the profile form checks the pairing.
ROLE_SCOPE_LEVEL = {
    "agent": "project",
    "steward": "project",
    "technician": "department",
    "dept_staff": "department",
    "project_manager": "project",
    "branch_leader": "branch",
    "quality": "company",
    "finance": "branch",
    "admin": "company",
}


def can(role: str | None, capability: Capability) -> bool:
    return role is not None and capability in ROLE_CAPABILITIES.get(role, frozenset())
