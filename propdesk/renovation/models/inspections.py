"""Inspections 巡检 of a renovation, rectification 整改 of what they found, completion acceptance 验收 with the deposit
refund it approves, and the neighbours' complaints linked to a renovation.

- A routine inspection is done once a renovation and (project-local) day: the DB refuses a second one. A
  re-inspection checks an open rectification; an acceptance inspection is recorded by ``RenovationAcceptance``.
- A failed inspection opens one rectification (what to fix, a deadline in working days of the project's calendar);
  a passed re-inspection closes it (fixed); the sweep marks it overdue past its deadline.
- An acceptance: asked for by the resident (in the app) or a steward, recorded by an inspector (passed or not, with
  deductions), then approved by someone with APPROVE_RENOVATIONS who is not its inspector: the refund (held deposit
  less deductions) is paid then.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.customers.models import Occupancy
from propdesk.org.models import Project

from .applications import Renovation


class ResidentScopedQuerySet(ScopedQuerySet):
    """Rows of a renovation: a resident sees those of the homes they live in."""

    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(renovation__room_id__in=Occupancy.objects.current().filter(
                resident_id=scope.resident_id).values("room_id"))
        return super().scope_filter(scope)


class PhotoQuerySet(ScopedQuerySet):
    project_path = "inspection__project"


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("routine inspection")
    REINSPECTION = "reinspection", _("re-inspection")
    ACCEPTANCE = "acceptance", _("acceptance inspection")


class RenovationInspection(models.Model):
    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="inspections",
                                   verbose_name=_("renovation"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    day = models.DateField(_("day"))  # the project's local date of inspected_at
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspected by"))
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.ROUTINE)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ResidentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("renovation inspection")
        verbose_name_plural = _("renovation inspections")
        ordering = ["-inspected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["renovation", "day"], condition=models.Q(kind="routine"),
                                               name="renovation_inspection_once_a_day")]
        indexes = [models.Index(fields=["project", "-day"], name="renovation_insp_project_day"),
                   models.Index(fields=["renovation", "-day"], name="renovation_insp_renov_day")]

    def __str__(self):
        return f"{self.renovation_id} {self.day} {self.kind}"


class RenovationInspectionItem(models.Model):
    """One checklist item as found; the label is copied so that a later checklist edit leaves the record alone."""

    inspection = models.ForeignKey(RenovationInspection, on_delete=models.CASCADE, related_name="items",
                                   verbose_name=_("inspection"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("item"), max_length=100)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["inspection_id", "position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "position"], name="renovation_item_position")]

    def __str__(self):
        return f"{self.label}: {'✓' if self.passed else '✗'}"


class RenovationInspectionPhoto(models.Model):
    """A photo of an inspection, re-encoded by ``photos_prepare``; served by a scoped view, never raw."""

    inspection = models.ForeignKey(RenovationInspection, on_delete=models.CASCADE, related_name="photos",
                                   verbose_name=_("inspection"))
    file = models.FileField(_("file"), upload_to="renovation/inspections/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["id"]

    def __str__(self):
        return f"photo {self.pk}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("open")
    FIXED = "fixed", _("fixed")
    OVERDUE = "overdue", _("overdue")


class RenovationRectification(models.Model):
    """整改: what a failed inspection (or acceptance) asks the household to fix, by when. Closed by the passed
    re-inspection (or acceptance) that found it fixed."""

    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="rectifications",
                                   verbose_name=_("renovation"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    inspection = models.ForeignKey(RenovationInspection, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="rectifications", verbose_name=_("found by"))
    number = models.CharField(_("notice number"), max_length=32)
    items = models.JSONField(_("what to fix"), default=list)  # [{"label", "note"}]
    note = models.CharField(_("note"), max_length=500, blank=True)
    deadline = models.DateField(_("fix by"))
    status = models.CharField(_("status"), max_length=16, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    created_at = models.DateTimeField(_("issued at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("issued by"))
    closed_by = models.ForeignKey(RenovationInspection, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="closed_rectifications", verbose_name=_("closed by inspection"))
    closed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)

    objects = ResidentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status", "deadline"], name="renovation_rect_status")]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in (RectificationStatus.OPEN, RectificationStatus.OVERDUE)


class AcceptanceApproval(models.TextChoices):
    WAITING = "waiting", _("not yet inspected")
    PENDING = "pending", _("refund waiting for approval")
    APPROVED = "approved", _("refund approved")
    REFUSED = "refused", _("refund refused")


class RenovationAcceptance(models.Model):
    """验收: one a request; a failed one leaves the renovation approved with a rectification, and the next request
    makes a new row."""

    renovation = models.ForeignKey(Renovation, on_delete=models.PROTECT, related_name="acceptances",
                                   verbose_name=_("renovation"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_by_resident = models.ForeignKey("customers.Resident", on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="+", verbose_name=_("requested by resident"))
    inspection = models.OneToOneField(RenovationInspection, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="acceptance", verbose_name=_("acceptance inspection"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("inspected by"))
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    deductions = models.JSONField(_("deductions"), default=list, blank=True)  # [{"reason", "amount_fen"}]
    deductions_fen = models.PositiveIntegerField(_("deducted (fen)"), default=0)
    held_fen = models.PositiveIntegerField(_("deposit held (fen)"), default=0)
    refund_fen = models.PositiveIntegerField(_("refund (fen)"), default=0)
    approval = models.CharField(_("approval"), max_length=16, choices=AcceptanceApproval.choices,
                                default=AcceptanceApproval.WAITING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    refund_entry = models.ForeignKey("fees.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("refund entry"))

    objects = ResidentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("renovation acceptance")
        verbose_name_plural = _("renovation acceptances")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["project", "approval"], name="renovation_acc_approval")]

    def __str__(self):
        return f"acceptance {self.renovation_id} {self.requested_at:%Y-%m-%d}"


class RenovationComplaint(models.Model):
    """A neighbour's complaint (or noise request) linked to the renovation it is about."""

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="complaints",
                                   verbose_name=_("renovation"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("request"))
    linked_at = models.DateTimeField(_("linked at"))
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("linked by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("linked complaint")
        verbose_name_plural = _("linked complaints")
        ordering = ["-linked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["renovation", "request"], name="renovation_complaint_once")]

    def __str__(self):
        return f"{self.renovation_id} ← {self.request_id}"
