"""Notices 公告 to a project, chosen buildings or chosen units, and who has read them.

The scope is a table of targets (NoticeTarget), not a JSON list, so "the notices of this room" is three indexed
lookups: the room's project (a target with neither building nor unit), its building, its unit. A notice is never
deleted: it is withdrawn (who, when) and stays in the list for the record. Revising a notice (an incident's update)
bumps ``version``; a resident has read the notice when their NoticeRead carries the current version, so a revised
notice is unread again for everyone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Building, Project, Unit

from .choices import NoticeKind, NoticeScope
from .rules import LIMITS, notice_state


class Notice(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="notices", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    scope = models.CharField(_("for whom"), max_length=16, choices=NoticeScope.choices)
    title = models.CharField(_("title"), max_length=LIMITS["title"])
    body = models.TextField(_("text"), max_length=LIMITS["body"])
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    expected_restore_at = models.DateTimeField(_("expected restore time"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    urgent = models.BooleanField(_("urgent (also by SMS)"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"))
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    sms_queued = models.PositiveIntegerField(_("SMS queued"), default=0)
    # A form's one-time token or an API client's Idempotency-Key: a retried publication returns the first notice.
    idempotency_key = models.CharField(max_length=100, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [models.Index(fields=["project", "-published_at"], name="notice_project_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True)
                                   | models.Q(valid_until__gte=models.F("valid_from")),
                                   name="notice_valid_ordered"),
            models.UniqueConstraint(fields=["published_by", "idempotency_key"],
                                    condition=~models.Q(idempotency_key=""), name="notice_idempotency_key"),
        ]

    def __str__(self):
        return self.title

    @property
    def url(self) -> str:
        """The resident's page of the notice (what the portal's home links)."""
        from django.urls import reverse

        return reverse("notices:my_detail", args=[self.pk])

    def state_at(self, now) -> str:
        """scheduled, active, expired or withdrawn at ``now`` (choices.NoticeState)."""
        return notice_state(valid_from=self.valid_from, valid_until=self.valid_until,
                            withdrawn=self.withdrawn_at is not None, now=now)


class NoticeTarget(models.Model):
    """One place a notice is for: the project (building and unit empty), a building, or a unit."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="targets")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("notice target")
        verbose_name_plural = _("notice targets")
        indexes = [models.Index(fields=["project", "building", "unit"], name="notice_target_project"),
                   models.Index(fields=["building"], name="notice_target_building"),
                   models.Index(fields=["unit"], name="notice_target_unit")]
        constraints = [models.CheckConstraint(condition=models.Q(building__isnull=True) | models.Q(unit__isnull=True),
                                              name="notice_target_one_level")]

    def __str__(self):
        return f"{self.notice_id}→{self.unit_id or self.building_id or self.project_id}"


class NoticeRead(models.Model):
    """A resident user has read a notice (the ``version`` they read). One row per notice and user."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notice reads")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_unique")]

    def __str__(self):
        return f"{self.notice_id} read by {self.user_id}"
