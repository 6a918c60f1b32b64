"""Violations 违章: a violation seen in the project (a home, a common area or a place described), its photos, the
notices to the household (违章整改通知书) and the follow-up inspections.

Lifecycle (``ViolationStatus``)::

    open ── notified ─┬─ rectified ── closed
      │               └─ escalated (to the PM: by hand, by a follow-up after the deadline, or the sweep) ── referred
      └──────────────────────────── closed (any state but closed: with an outcome)

A follow-up that finds it fixed makes it rectified (from notified, escalated or referred).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.customers.models import Occupancy
from propdesk.org.models import Building, CommonArea, Project, Room


class ViolationKind(models.TextChoices):
    CONSTRUCTION = "construction", _("illegal construction")
    FIRE_LANE = "fire_lane", _("blocked fire lane")
    PARKING = "parking", _("illegal parking")
    PETS = "pets", _("pets (unleashed, fouling)")
    NOISE = "noise", _("noise")
    LITTERING = "littering", _("littering from height")
    GROUP_RENTAL = "group_rental", _("group rental")
    OTHER = "other", _("other")


class ViolationStatus(models.TextChoices):
    OPEN = "open", _("recorded")
    NOTIFIED = "notified", _("notice issued")
    RECTIFIED = "rectified", _("rectified")
    ESCALATED = "escalated", _("escalated to the PM")
    REFERRED = "referred", _("referred to the authorities")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (ViolationStatus.OPEN, ViolationStatus.NOTIFIED, ViolationStatus.ESCALATED,
                 ViolationStatus.REFERRED, ViolationStatus.RECTIFIED)


class ViolationSource(models.TextChoices):
    STAFF = "staff", _("seen by staff")
    PATROL = "patrol", _("patrol finding")
    RESIDENT = "resident", _("resident report")


class Authority(models.TextChoices):
    CHENGGUAN = "chengguan", _("urban management (城管)")
    POLICE = "police", _("police (公安)")
    FIRE = "fire", _("fire brigade (消防)")
    STREET = "street", _("street office (街道办)")
    HOUSING = "housing", _("housing bureau (住建)")


class NoticeChannel(models.TextChoices):
    APP = "app", _("in the resident app")
    SMS = "sms", _("app and SMS")
    PAPER = "paper", _("printed, delivered by hand")


class ViolationQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:  # a resident sees the violations of the homes they live in now
            return models.Q(room_id__in=Occupancy.objects.current().filter(resident_id=scope.resident_id)
                            .values("room_id"))
        return super().scope_filter(scope)


class Violation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("building"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="violations",
                             verbose_name=_("home"))
    common_area = models.ForeignKey(CommonArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("common area"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ViolationKind.choices)
    description = models.TextField(_("what was seen"), max_length=2000)
    source = models.CharField(_("source"), max_length=10, choices=ViolationSource.choices,
                              default=ViolationSource.STAFF)
    finding = models.ForeignKey("stewardship.PatrolFinding", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("patrol finding"))
    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("resident report"))
    renovation = models.ForeignKey("renovation.Renovation", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="violations", verbose_name=_("renovation"))
    status = models.CharField(_("status"), max_length=10, choices=ViolationStatus.choices,
                              default=ViolationStatus.OPEN)
    deadline = models.DateField(_("deadline"), null=True, blank=True)  # the last notice's
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Empty with escalated_at set: the sweep escalated it (deadline passed unfixed).
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("escalated by"))
    escalation_reason = models.CharField(_("reason for escalation"), max_length=500, blank=True)
    referral_authority = models.CharField(_("authority"), max_length=12, choices=Authority.choices, blank=True)
    referral_note = models.TextField(_("referral note"), max_length=1000, blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("referred by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    outcome = models.TextField(_("outcome"), max_length=1000, blank=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["project", "status", "-recorded_at"], name="violation_project_status"),
            models.Index(fields=["project", "-recorded_at"], name="violation_project_recorded"),
            models.Index(fields=["status", "deadline"], name="violation_status_deadline"),
            models.Index(fields=["room", "-recorded_at"], name="violation_room"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"WZ{self.pk or 0:06d}"

    @property
    def place(self) -> str:
        if self.room_id:
            return self.room.code
        if self.common_area_id:
            return f"{self.common_area.name} {self.location}".strip()
        return self.location


def photo_path(instance, filename):
    return f"violations/{instance.uploaded_at:%Y/%m}/{filename}"


class ViolationPhoto(models.Model):
    """A photo of the violation as recorded, or of a follow-up (``follow_up`` set). Re-encoded by photos_prepare."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="photos",
                                  verbose_name=_("violation"))
    follow_up = models.ForeignKey("ViolationFollowUp", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="photos", verbose_name=_("follow-up"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation photo")
        verbose_name_plural = _("violation photos")
        ordering = ["id"]

    def __str__(self):
        return self.original_name or str(self.pk)


class ViolationNotice(models.Model):
    """违章整改通知书 to the household of the home: what to put right, by when, and how it reached them."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("violation"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("home"))
    text = models.TextField(_("notice text"), max_length=2000)
    deadline = models.DateField(_("put right by"))
    channel = models.CharField(_("channel"), max_length=8, choices=NoticeChannel.choices)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("issued by"))

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation notice")
        verbose_name_plural = _("violation notices")
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.violation_id}: {self.deadline}"

    @property
    def number(self) -> str:
        return f"TZ{self.pk or 0:06d}"


class ViolationFollowUp(models.Model):
    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="follow_ups",
                                  verbose_name=_("violation"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    at = models.DateTimeField(_("inspected at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("inspected by"))
    fixed = models.BooleanField(_("put right"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation follow-up")
        verbose_name_plural = _("violation follow-ups")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.violation_id}: {'✓' if self.fixed else '✗'}"
