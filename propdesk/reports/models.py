from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Project


class PublicReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class PublicReportQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:  # residents read the published reports of their own project
            return models.Q(status=PublicReportStatus.PUBLISHED,
                            project__residents__id=scope.resident_id)
        return super().scope_filter(scope)


class PublicReport(models.Model):
    """物业服务报告: a project's month told to its residents — aggregates only, no personal data. The figures are
    frozen when the project manager publishes, so what residents read does not change afterwards."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="public_reports",
                                verbose_name=_("project"))
    month = models.DateField(_("month"), help_text=_("first day of the month reported"))
    status = models.CharField(_("status"), max_length=16, choices=PublicReportStatus.choices,
                              default=PublicReportStatus.DRAFT)
    improvements = models.TextField(_("what we improved"), blank=True)
    plans = models.TextField(_("what we will do next"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PublicReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("public service report")
        verbose_name_plural = _("public service reports")
        ordering = ["-month", "project_id"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="public_report_unique")]
        indexes = [models.Index(fields=["project", "status", "-month"], name="public_report_project")]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}"


class MonthlyDelivery(models.Model):
    """The first-of-the-month run that sends last month's summary to managers: one row per month, so that a worker
    restarted (or two workers) sends it once."""

    month = models.DateField(_("month"), unique=True, help_text=_("first day of the month summarised"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("monthly summary delivery")
        verbose_name_plural = _("monthly summary deliveries")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class RollupState(models.Model):
    """How far a family of rollups is exact: every row changed up to ``watermark`` is counted in them (rollups/).
    No row: the rollups were never built and the reports read raw rows."""

    name = models.CharField(_("rollup"), max_length=32, unique=True)
    watermark = models.DateTimeField(_("exact up to"))
    rebuilt_at = models.DateTimeField(_("last rebuilt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self):
        return f"{self.name} @ {self.watermark:%Y-%m-%d %H:%M:%S}"


class ComplaintDay(models.Model):
    """The complaints received on one local day in one project, counted per category × severity × department
    complained about × place (the building of the room, else the common area): every figure of the complaint
    summary but the ones judged against "now" (open complaints past their deadline, read raw)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    day = models.DateField(_("day received"))
    category = models.CharField(_("complaint category"), max_length=16, blank=True)
    severity = models.CharField(_("severity"), max_length=16, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("department complained about"))
    place_kind = models.CharField(_("place"), max_length=8, blank=True)  # building, area or "" (none named)
    place_id = models.BigIntegerField(_("place id"), null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    valid = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    undecided = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    no_deadline = models.PositiveIntegerField(default=0)
    repeat = models.PositiveIntegerField(default=0)
    with_cause = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaints of a day")
        verbose_name_plural = _("complaints of a day")
        indexes = [models.Index(fields=["project", "day"], name="complaint_day_project")]

    def __str__(self):
        return f"{self.project_id} {self.day}"


class KpiDay(models.Model):
    """The service KPIs' counts of one local day in one project, per department and assignee: work orders by the
    day of their event (accepted, arrived, completed; durations as sums of microseconds), requests by the day
    received (department and assignee empty), visits by the day due (their department, assignee empty)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    day = models.DateField(_("day"))
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("assignee"))
    accept_n = models.PositiveIntegerField(default=0)
    accept_us = models.BigIntegerField(default=0)
    arrive_n = models.PositiveIntegerField(default=0)
    arrive_us = models.BigIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    complete_n = models.PositiveIntegerField(default=0)
    complete_us = models.BigIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    first_fix = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service KPIs of a day")
        verbose_name_plural = _("service KPIs of a day")
        indexes = [models.Index(fields=["project", "day"], name="kpi_day_project")]

    def __str__(self):
        return f"{self.project_id} {self.day}"


class RollupMark(models.Model):
    """The buckets (project, day) a work order or a visit is counted in by the rollups, so that when its dates move
    (a reopened order's completion cleared, a visit rescheduled) the old buckets are recomputed too."""

    source = models.CharField(max_length=8)  # order or visit
    source_id = models.BigIntegerField()
    buckets = models.JSONField(default=list)  # [[project id, "YYYY-MM-DD"], …]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="rollup_mark_unique")]

    def __str__(self):
        return f"{self.source} {self.source_id}"


class VisitDay(models.Model):
    """The follow-up visits due on one local day in one project, per rule and department: every count of the visit
    statistics (followups.selectors.rates.figure_counters), cancelled visits left out. The dissatisfied cases'
    "closed since" counts follow the status of their request and follow-up complaint (rollups/visits.py)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    day = models.DateField(_("day due"))
    rule = models.CharField(_("rule"), max_length=16)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    due = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    unreachable = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_5 = models.PositiveIntegerField(default=0)
    case_total = models.PositiveIntegerField(default=0)
    case_reopened = models.PositiveIntegerField(default=0)
    case_reopened_closed = models.PositiveIntegerField(default=0)
    case_complaint = models.PositiveIntegerField(default=0)
    case_complaint_closed = models.PositiveIntegerField(default=0)
    case_undecided = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits of a day")
        indexes = [models.Index(fields=["project", "day"], name="visit_day_project")]

    def __str__(self):
        return f"{self.project_id} {self.day}"


class RequestDay(models.Model):
    """The requests received on one local day in one project, per kind, cancelled ones left out: the project
    dashboard's requests-by-kind trend."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    day = models.DateField(_("day received"))
    kind = models.CharField(_("kind"), max_length=16)
    received = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("requests of a day")
        verbose_name_plural = _("requests of a day")
        indexes = [models.Index(fields=["project", "day"], name="request_day_project")]

    def __str__(self):
        return f"{self.project_id} {self.day}"
