"""What a resident is shown of their request, as data. Pure Python: no Django, no ``now()``.

The timeline of a request is the staff's record: internal notes, escalations, deadlines, who dispatched to whom. A
resident sees a short story of their request in plain words: received, passed to a department, someone on the way,
arrived, paused and why, done, the replies they were given, the follow-up visit, closed. :func:`resident_step` is the
allow-list: an entry it does not name is never shown (a new kind of entry stays staff-only until it is added here).
"""

# Steps a resident sees, in the order they usually happen.
RECEIVED = "received"
PASSED_ON = "passed_on"  # a work order for a department
ON_THE_WAY = "on_the_way"  # accepted or grabbed: someone will come
ARRIVED = "arrived"
PAUSED = "paused"
RESUMED = "resumed"
DONE = "done"
REWORK = "rework"
REPLY = "reply"
VISIT = "visit"
PAID = "paid"
NOTICE = "notice"  # an incident update for everyone affected
CLOSED = "closed"
CANCELLED = "cancelled"
# The resident's own doings and the paid-repair steps (issue 11).
HURRIED = "hurried"
COMMENTED = "commented"
CONFIRMED = "confirmed"
QUOTED = "quoted"
QUOTE_AGREED = "quote_agreed"
QUOTE_DECLINED = "quote_declined"
VOIDED = "voided"

# (timeline kind, action) → step. "*" matches any action of the kind.
_STEPS: dict[tuple[str, str], str] = {
    ("created", "*"): RECEIVED,
    ("work_order", "create"): PASSED_ON,
    ("work_order", "accept"): ON_THE_WAY,
    ("work_order", "grab"): ON_THE_WAY,
    ("work_order", "arrive"): ARRIVED,
    ("work_order", "hold"): PAUSED,
    ("work_order", "resume"): RESUMED,
    ("work_order", "complete"): DONE,
    ("work_order", "reopen"): REWORK,
    ("reply", "*"): REPLY,
    ("call", "visit"): VISIT,
    ("payment", "payment"): PAID,
    ("incident", "update"): NOTICE,
    ("status", "closed"): CLOSED,
    ("status", "cancelled"): CANCELLED,
    ("hurry", "*"): HURRIED,
    ("comment", "resident"): COMMENTED,  # the resident's own comment; the staff's comments are never shown
    ("work_order", "confirm"): CONFIRMED,
    ("payment", "quote"): QUOTED,
    ("payment", "quote_agree"): QUOTE_AGREED,
    ("payment", "quote_decline"): QUOTE_DECLINED,
    ("payment", "payment_void"): VOIDED,
}
# Steps whose entry text was written for the resident (a reply, an update to everyone affected) and is shown as is.
TEXT_FOR_RESIDENT = frozenset({REPLY, NOTICE, COMMENTED})  # COMMENTED: the resident's own words
# Hold reasons a resident is told; any other reason is shown as a plain pause.
HOLD_REASONS_SHOWN = frozenset({"not_home", "parts", "appointment"})


def resident_step(kind: str, action: str, *, internal: bool = False) -> str | None:
    """The step a timeline entry is for the resident, or None when it is not for them."""
    if internal:
        return None
    return _STEPS.get((kind, action)) or _STEPS.get((kind, "*"))


def resident_kinds() -> frozenset[str]:
    """Timeline kinds that may hold a resident step (to filter in the database before :func:`resident_step`)."""
    return frozenset(kind for kind, _action in _STEPS)


# Plain-word status of a request as the resident follows it: the request's status, refined by its work orders.
RECEIVED_STATUS = "received"  # recorded, nobody on it yet
ARRANGED_STATUS = "arranged"  # passed to a department, waiting for someone to take it
COMING_STATUS = "coming"  # someone took it and will come
HERE_STATUS = "here"  # someone is there now
PAUSED_STATUS = "paused"
DONE_STATUS = "done"  # the work is done, the reply is coming
CLOSED_STATUS = "closed"
CANCELLED_STATUS = "cancelled"
OPEN_STATUSES = frozenset({RECEIVED_STATUS, ARRANGED_STATUS, COMING_STATUS, HERE_STATUS, PAUSED_STATUS, DONE_STATUS})

# The most advanced state of an active order wins: one order on site makes the request "someone is there".
_ORDER_RANK = {"on_site": (5, HERE_STATUS), "accepted": (4, COMING_STATUS), "on_hold": (3, PAUSED_STATUS),
               "dispatched": (2, ARRANGED_STATUS), "pooled": (2, ARRANGED_STATUS), "pending": (2, ARRANGED_STATUS)}


def plain_status(request_status: str, order_statuses: list[str] | tuple[str, ...]) -> str:
    """The resident's word for where their request stands."""
    if request_status == "closed":
        return CLOSED_STATUS
    if request_status == "cancelled":
        return CANCELLED_STATUS
    if request_status == "resolved":
        return DONE_STATUS
    active = [_ORDER_RANK[status] for status in order_statuses if status in _ORDER_RANK]
    if active:
        return max(active)[1]
    if order_statuses and all(status in ("completed", "cancelled") for status in order_statuses) \
            and "completed" in order_statuses:
        return DONE_STATUS
    return RECEIVED_STATUS
