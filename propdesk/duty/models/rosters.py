"""Rosters 排班: the shifts a department works (早班 08:00–16:00, 夜班 20:00–08:00 …) and who works which shift on which
day. A roster entry stores its start and end as instants, so "who is on duty now" is one indexed range query."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Department, Project


class ShiftKind(models.Model):
    """A shift of one department of a project, or of the project's duty managers (值班经理) when ``department`` is
    empty. ``ends`` at or before ``starts`` runs past midnight into the next day."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    name = models.CharField(_("name"), max_length=30)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    min_people = models.PositiveSmallIntegerField(_("people needed"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["project_id", "department_id", "starts", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "department", "name"], name="shift_kind_name_once")]

    def __str__(self):
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def overnight(self) -> bool:
        return self.ends <= self.starts


class RosterEntry(models.Model):
    """One person on one shift on one day. ``starts_at``/``ends_at`` are the shift's times on ``day`` in the project's
    zone, stored in UTC; an overnight shift ends the next morning. A person's entries never overlap (the roster
    service checks it under a lock on the person)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    shift = models.ForeignKey(ShiftKind, on_delete=models.PROTECT, related_name="entries", verbose_name=_("shift"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roster_entries",
                             verbose_name=_("on duty"))
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("scheduled by"))
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "day", "user"], name="roster_once_per_shift_day"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="roster_ends_after"),
        ]
        indexes = [
            # who is on duty now in a department or a project (ends_at > now among rows starting before now)
            models.Index(fields=["project", "department", "ends_at", "starts_at"], name="roster_on_duty"),
            models.Index(fields=["user", "starts_at"], name="roster_user_time"),
            models.Index(fields=["project", "day"], name="roster_project_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.shift.name} {self.user}"
