from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    OUTAGE = "outage", _("outage notice")  # 停水停电通知
    TIP = "tip", _("friendly reminder")  # 温馨提示
    ACTIVITY = "activity", _("community activity")  # 社区活动
    OTHER = "other", _("other")


class NoticeScope(models.TextChoices):
    """Who a notice is for: the whole project, chosen buildings, or chosen units (stairwell sections)."""

    PROJECT = "project", _("the whole project")
    BUILDINGS = "buildings", _("chosen buildings")
    UNITS = "units", _("chosen units")


class NoticeState(models.TextChoices):
    """Where a notice stands at a given time (rules.notice_state); not stored."""

    SCHEDULED = "scheduled", _("scheduled")
    ACTIVE = "active", _("in effect")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")
