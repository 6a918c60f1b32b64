from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


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


class HoldReason(models.TextChoices):
    NOT_HOME = "not_home", _("resident not home")
    PARTS = "parts", _("waiting for parts")
    APPOINTMENT = "appointment", _("appointment later")
    OTHER = "other", _("other")


class ConfirmationMethod(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    CODE = "code", _("one-time code")


class EventKind(models.TextChoices):
    CREATED = "created", _("recorded")
    WORK_ORDER = "work_order", _("work order action")
    COMMENT = "comment", _("comment")
    CALL = "call", _("phone call")
    REPLY = "reply", _("reply to the resident")
    ESCALATION = "escalation", _("escalation")
    STATUS = "status", _("status change")
    PAYMENT = "payment", _("payment")
    INCIDENT = "incident", _("incident update")


# The button labels of rules/transitions.py, listed here so that makemessages finds them (the rules module is pure
# Python and does not import Django's gettext).
ACTION_LABELS = [
    gettext_noop("Dispatch"), gettext_noop("Send to pool"), gettext_noop("Grab"), gettext_noop("Accept"),
    gettext_noop("Reject"), gettext_noop("Arrived"), gettext_noop("Complete"), gettext_noop("Hold"),
    gettext_noop("Resume"), gettext_noop("Reassign"), gettext_noop("Cancel"), gettext_noop("Reopen"),
]
