from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import QuickChoices
from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Department, Project

from ..choices import LIVE_WORK_ORDER_STATUSES, ConfirmationMethod, HoldReason, WorkOrderStatus
from .requests import ServiceRequest


class WorkOrderQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(request__reporter_id=scope.resident_id)
        if scope.department_id:
            return models.Q(department_id=scope.department_id)
        return super().scope_filter(scope)


class WorkOrder(QuickChoices, models.Model):
    """派工单: the job one department does for a request. State changes only through services/workorders.py, which
    checks rules/transitions.py and locks the row."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="work_orders",
                                verbose_name=_("request"))
    # No index of its own: every index below that starts with the project serves a lookup by project (with its own
    # the planner walked a branch's 225,000 orders to count a month's completed ones).
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"),
                                db_index=False)
    number = models.CharField(_("number"), max_length=24, editable=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="work_orders",
                                   verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=16, choices=WorkOrderStatus.choices,
                              default=WorkOrderStatus.PENDING)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="work_orders", verbose_name=_("assignee"))
    dispatcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("dispatched by"))
    instructions = models.TextField(_("instructions"), blank=True)
    # Times.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    held_since = models.DateTimeField(_("on hold since"), null=True, blank=True)
    held_seconds = models.PositiveIntegerField(_("time on hold (s)"), default=0)
    hold_reason = models.CharField(_("hold reason"), max_length=16, choices=HoldReason.choices, blank=True)
    # Deadlines (copied from the request's targets; holds push resolve_by).
    respond_by = models.DateTimeField(_("accept by"), null=True, blank=True)
    arrive_by = models.DateTimeField(_("on site by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("complete by"), null=True, blank=True)
    escalations_sent = models.JSONField(default=list, blank=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    # Result and the resident's confirmation.
    result = models.TextField(_("result"), blank=True)
    materials = models.TextField(_("materials used"), blank=True)
    confirmation_method = models.CharField(_("confirmed by"), max_length=16, choices=ConfirmationMethod.choices,
                                           blank=True)
    signature = models.TextField(_("signature"), blank=True, help_text=_("PNG data URL drawn on the phone"))
    confirmation_code_hash = models.CharField(max_length=64, blank=True)
    confirmation_code_sent_at = models.DateTimeField(null=True, blank=True)
    confirmation_code_wrong = models.PositiveSmallIntegerField(default=0)  # wrong tries of the current code
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    # Every write moves it (services save the row, or name it in update_fields): the reports' rollups find the
    # orders changed since their watermark by it.
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["number"], name="workorder_number_unique")]  # prefixed
        indexes = [
            models.Index(fields=["project", "status", "-created_at"], name="workorder_project_status"),
            models.Index(fields=["department", "status"], name="workorder_department_status"),
            models.Index(fields=["assignee", "status"], name="workorder_assignee_status"),
            models.Index(fields=["next_escalation_at"], name="workorder_escalation_due"),
            models.Index(fields=["project", "resolve_by"], name="workorder_resolve_by"),
            # Partial: the live orders only (a few percent of the archive), in the orders the lists read them, so
            # that a page of 50 reads about 50 index entries instead of sorting every live order of the scope: a
            # project's newest first; a branch's or the company's newest first or by deadline (overdue, due soon:
            # the scope's project ids filter the entries in order); a technician's own.
            models.Index(fields=["project", "-created_at"], name="workorder_live_project",
                         condition=models.Q(status__in=LIVE_WORK_ORDER_STATUSES)),
            models.Index(fields=["-created_at"], name="workorder_live_created",
                         condition=models.Q(status__in=LIVE_WORK_ORDER_STATUSES)),
            models.Index(fields=["resolve_by"], name="workorder_live_resolve_by",
                         condition=models.Q(status__in=LIVE_WORK_ORDER_STATUSES)),
            models.Index(fields=["assignee", "-created_at"], name="workorder_live_assignee",
                         condition=models.Q(status__in=LIVE_WORK_ORDER_STATUSES)),
            models.Index(fields=["updated_at"], name="workorder_updated"),
            # The KPI rollup reads the buckets changed since the worker's last pass (today's at least) from the raw
            # rows, by project and local day of each of these times (reports/rollups/kpis.py): without these a
            # changed day scanned every order of the project (370 ms each at 1M).
            models.Index(fields=["project", "accepted_at"], name="workorder_project_accepted"),
            models.Index(fields=["project", "arrived_at"], name="workorder_project_arrived"),
            models.Index(fields=["project", "completed_at"], name="workorder_project_completed"),
            # The register of completed orders, newest first: a page of a branch's month read in order instead of
            # sorting its 81,000 orders (68 ms in four large projects).
            models.Index(fields=["-completed_at"], name="workorder_completed",
                         condition=models.Q(completed_at__isnull=False)),
        ]

    def __str__(self):
        return self.number
