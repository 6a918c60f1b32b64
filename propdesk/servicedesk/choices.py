from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    HOTLINE = "hotline", _("400 hotline")
    WALK_IN = "walk_in", _("walk-in")
    APP = "app", _("app")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("letter")
    STAFF = "staff", _("staff-reported")
    PATROL = "patrol", _("patrol")


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("inquiry")
    REPAIR = "repair", _("repair")
    COMPLAINT = "complaint", _("complaint")
    HELP = "help", _("help")
    SUGGESTION = "suggestion", _("suggestion")
    PRAISE = "praise", _("praise")


class Emotion(models.TextChoices):
    CALM = "calm", _("calm")
    ANGRY = "angry", _("angry")
    ANXIOUS = "anxious", _("anxious")
    SAD = "sad", _("sad")
    LOUD = "loud", _("loud")


class ComplaintCategory(models.TextChoices):
    ENGINEERING = "engineering", _("engineering quality")
    DESIGN = "design", _("planning and design")
    SALES = "sales", _("sales")
    PROPERTY = "property", _("property management")
    SERVICE = "service", _("customer service")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    MAJOR = "major", _("major")
    IMPORTANT = "important", _("important")
    MINOR = "minor", _("minor")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved, to be answered")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class WorkOrderStatus(models.TextChoices):
    PENDING = "pending", _("pending dispatch")
    POOLED = "pooled", _("in the pool")
    DISPATCHED = "dispatched", _("dispatched")
    ACCEPTED = "accepted", _("accepted")
    ON_SITE = "on_site", _("on site")
    ON_HOLD = "on_hold", _("on hold")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


# The states the lists of live work and open requests filter on; the partial indexes of those lists hold these rows
# only (models/workorders.py, models/requests.py), so a list and its index must name the same states.
LIVE_WORK_ORDER_STATUSES = (WorkOrderStatus.PENDING, WorkOrderStatus.POOLED, WorkOrderStatus.DISPATCHED,
                            WorkOrderStatus.ACCEPTED, WorkOrderStatus.ON_SITE, WorkOrderStatus.ON_HOLD)
OPEN_REQUEST_STATUSES = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED)


class HoldReason(models.TextChoices):
    NOT_HOME = "not_home", _("resident not home")
    PARTS = "parts", _("waiting for parts")
    APPOINTMENT = "appointment", _("appointment later")
    OTHER = "other", _("other")


class ConfirmationMethod(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    CODE = "code", _("one-time code")
    APP = "app", _("confirmed in the app")


class EventKind(models.TextChoices):
    CREATED = "created", _("recorded")
    WORK_ORDER = "work_order", _("work order action")
    COMMENT = "comment", _("comment")
    CALL = "call", _("phone call")
    REPLY = "reply", _("reply to the resident")
    ESCALATION = "escalation", _("escalation")
    STATUS = "status", _("status change")
    ACKNOWLEDGED = "acknowledged", _("taken into handling")
    PAYMENT = "payment", _("payment")
    INCIDENT = "incident", _("incident update")
    HURRY = "hurry", _("resident hurried")


# The button labels of rules/transitions.py by action (the rules module is pure Python and does not import Django's
# gettext, so the labels are listed here for makemessages), also used to name work-order steps in the timeline.
ACTION_LABELS = {
    "dispatch": _("Dispatch"), "pool": _("Send to pool"), "grab": _("Grab"), "accept": _("Accept"),
    "reject": _("Reject"), "arrive": _("Arrived"), "complete": _("Complete"), "hold": _("Hold"), "resume": _("Resume"),
    "reassign": _("Reassign"), "cancel": _("Cancel"), "reopen": _("Reopen"), "create": _("New work order"),
}

# The flash after each action says what was done, in the past tense ("已接单：工单 …"); the state the order is in now
# reads like a verb in Chinese ("完成：… 现为“已接单”" was read as "finished").
ACTION_DONE = {
    "dispatch": _("Dispatched: work order %(number)s."), "pool": _("Sent to the pool: work order %(number)s."),
    "grab": _("Grabbed: work order %(number)s."), "accept": _("Accepted: work order %(number)s."),
    "reject": _("Sent back: work order %(number)s."), "arrive": _("Arrival recorded: work order %(number)s."),
    "hold": _("Put on hold: work order %(number)s."), "resume": _("Resumed: work order %(number)s."),
    "complete": _("Completed: work order %(number)s."), "reassign": _("Reassigned: work order %(number)s."),
    "cancel": _("Cancelled: work order %(number)s."), "reopen": _("Reopened for rework: work order %(number)s."),
}
