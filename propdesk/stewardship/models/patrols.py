"""Patrols 巡检: a plan of checkpoints (each with a checklist and a QR token), its schedule, the rounds it makes due,
and what each round found at each checkpoint."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Building, CommonArea, Project
from propdesk.staff.models import Role


class PatrolFrequency(models.TextChoices):
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")


class PatrolRoundStatus(models.TextChoices):
    DUE = "due", _("due")
    IN_PROGRESS = "in_progress", _("in progress")
    ON_TIME = "on_time", _("done on time")
    LATE = "late", _("done late")
    MISSED = "missed", _("missed")


class PatrolPlan(models.Model):
    """A plan (客服助理日常巡查, 消防设施月检): done by one person or by whoever of a role in the project starts it."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=60)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("assigned to"))
    assignee_role = models.CharField(_("assigned role"), max_length=20, blank=True)
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("supervisor"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=PatrolFrequency.choices,
                                 default=PatrolFrequency.DAILY)
    windows = models.JSONField(_("windows"), default=list)  # ["09:30-11:00", "15:00-17:00"], the project's zone
    weekdays = models.JSONField(_("weekdays"), default=list)  # 0 = Monday (weekly)
    day_of_month = models.PositiveSmallIntegerField(_("day of month"), default=1)
    working_days_only = models.BooleanField(_("working days only"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["project_id", "name", "id"]
        indexes = [models.Index(fields=["project", "active"], name="patrolplan_project_active")]

    def __str__(self):
        return self.name

    @property
    def assignee_label(self) -> str:
        if self.assignee_id:
            profile = getattr(self.assignee, "staff_profile", None)
            return (profile.display_name if profile else "") or self.assignee.get_username()
        return str(dict(Role.choices).get(self.assignee_role, self.assignee_role))


def new_token() -> str:
    return secrets.token_urlsafe(18)


class PatrolCheckpoint(models.Model):
    """A place on the route; ``items`` is its checklist: [{"text", "photo_required", "note_required"}]. The QR code
    printed for it encodes its unguessable ``token``."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="checkpoints",
                             verbose_name=_("plan"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=60)
    common_area = models.ForeignKey(CommonArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("common area"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("building"))
    place_note = models.CharField(_("place"), max_length=100, blank=True)
    items = models.JSONField(_("checklist"), default=list)
    token = models.CharField(_("code"), max_length=32, unique=True, default=new_token)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["plan_id", "position", "id"]

    def __str__(self):
        return self.name

    @property
    def place(self) -> str:
        if self.common_area_id:
            return str(self.common_area)
        if self.building_id:
            return str(self.building)
        return self.place_note


class PatrolRound(models.Model):
    """One due round of a plan (a day and a window), materialised by the sweep once (unique plan, day, window)."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    day = models.DateField(_("day"))
    window_index = models.PositiveSmallIntegerField(_("window"))
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    status = models.CharField(_("status"), max_length=12, choices=PatrolRoundStatus.choices,
                              default=PatrolRoundStatus.DUE)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("patroller"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    checkpoints_total = models.PositiveSmallIntegerField(_("checkpoints"), default=0)
    checkpoints_done = models.PositiveSmallIntegerField(_("checkpoints done"), default=0)
    findings = models.PositiveSmallIntegerField(_("findings"), default=0)
    supervisor_told_at = models.DateTimeField(_("supervisor told at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["window_start", "plan_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "day", "window_index"], name="patrolround_once")]
        indexes = [
            models.Index(fields=["project", "day"], name="patrolround_project_day"),
            # the sweep: rounds whose window is over and whose supervisor has not been told
            models.Index(fields=["supervisor_told_at", "window_end"], name="patrolround_sweep"),
            models.Index(fields=["started_by", "day"], name="patrolround_patroller_day"),
        ]

    def __str__(self):
        return f"{self.plan} {self.day} #{self.window_index + 1}"


class PatrolVisit(models.Model):
    """A checkpoint done within a round: ``results`` holds one {"fine", "note"} per checklist item, in order."""

    round = models.ForeignKey(PatrolRound, on_delete=models.CASCADE, related_name="visits", verbose_name=_("round"))
    checkpoint = models.ForeignKey(PatrolCheckpoint, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("checkpoint"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    visited_at = models.DateTimeField(_("visited at"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("patroller"))
    results = models.JSONField(_("results"), default=list)
    all_fine = models.BooleanField(_("all fine"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint record")
        verbose_name_plural = _("checkpoint records")
        ordering = ["visited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "checkpoint"], name="patrolvisit_once")]

    def __str__(self):
        return f"{self.checkpoint} @ {self.round}"


class PatrolFinding(models.Model):
    """An item found not fine, and the request it became."""

    visit = models.ForeignKey(PatrolVisit, on_delete=models.CASCADE, related_name="found", verbose_name=_("record"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    item_index = models.PositiveSmallIntegerField(_("item"))
    item_text = models.CharField(_("item"), max_length=100)
    note = models.CharField(_("note"), max_length=300, blank=True)
    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("request"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol finding")
        verbose_name_plural = _("patrol findings")
        ordering = ["visit_id", "item_index"]

    def __str__(self):
        return self.item_text
