"""A renovation 装修 of one home: the application, the decision, the permit and the money it set, and where the work
stands. Workers and work items are in ``workers.py``; inspections, rectification and acceptance in
``inspections.py``.

Lifecycle (``RenovationStatus``)::

    submitted ─┬─ approved ──(work)── acceptance_requested ─┬─ accepted ── closed
               │      ▲                                     │  (refund waits for approval; closed when paid)
               │      └──────────── acceptance failed ──────┘
               ├─ refused
               └─ withdrawn (before approval, or after it and before work starts)

The home is "under renovation" (``Room.status == renovating``) from approval until closed or withdrawn; the status
it had before is kept in ``room_status_before`` and given back then.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.customers.models import Occupancy
from propdesk.org.models import Building, Project, Room


class RenovationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("waiting for acceptance")
    ACCEPTED = "accepted", _("accepted, deposit refund waiting for approval")
    CLOSED = "closed", _("closed")


# The home is under renovation in these states (work may go on, inspections are due).
ACTIVE_STATUSES = (RenovationStatus.APPROVED, RenovationStatus.ACCEPTANCE_REQUESTED, RenovationStatus.ACCEPTED)
OPEN_STATUSES = (RenovationStatus.SUBMITTED, *ACTIVE_STATUSES)


class Channel(models.TextChoices):
    APP = "app", _("resident app")
    DESK = "desk", _("front desk")


class Decision(models.TextChoices):
    APPROVED = "approved", _("approved")
    CONDITIONS = "conditions", _("approved with conditions")
    REFUSED = "refused", _("refused")


class RenovationQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:  # a resident sees the renovations of the homes they live in (any relation)
            return models.Q(room_id__in=Occupancy.objects.current().filter(resident_id=scope.resident_id)
                            .values("room_id"))
        return super().scope_filter(scope)


class Renovation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="renovations", verbose_name=_("home"))
    number = models.CharField(_("number"), max_length=24, editable=False)  # ZX + project code + yymmdd + seq
    status = models.CharField(_("status"), max_length=24, choices=RenovationStatus.choices,
                              default=RenovationStatus.SUBMITTED)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Who applies: a resident of the home (owner or not: the handbooks serve them alike); the desk may type a name.
    applicant = models.ForeignKey("customers.Resident", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("applicant"))
    applicant_name = models.CharField(_("applicant name"), max_length=50)
    applicant_phone = models.CharField(_("applicant phone"), max_length=24)
    contractor_name = models.CharField(_("contractor"), max_length=100)
    contractor_licence = models.CharField(_("business licence number"), max_length=50, blank=True)
    contractor_contact = models.CharField(_("contractor contact"), max_length=50)
    contractor_phone = models.CharField(_("contractor phone"), max_length=24)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    description = models.TextField(_("what will be done"), max_length=2000, blank=True)
    # Rules of the project the application touches (forbidden items, banned balcony closing …): the PM sees which
    # rule and why; a flagged application cannot be approved without conditions that answer it.
    flags = models.JSONField(_("rules flagged"), default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    conditions = models.TextField(_("conditions"), max_length=1000, blank=True)
    decision_note = models.TextField(_("reasons"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=32, blank=True)
    # The bills approval issued through the fees module (fees.services.deposits.deposit_charge).
    deposit_bill = models.ForeignKey("fees.Bill", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("deposit bill"))
    fee_bill = models.ForeignKey("fees.Bill", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("debris removal bill"))
    room_status_before = models.CharField(_("home status before"), max_length=16, blank=True)
    acceptance_requested_at = models.DateTimeField(_("acceptance requested at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = RenovationQuerySet.as_manager()

    class Meta:
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="renovation_number_unique"),
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")),
                                   name="renovation_period_ordered"),
            # One open application per home: the service answers 409 first; this holds under a race.
            models.UniqueConstraint(fields=["room"], condition=models.Q(status__in=[
                "submitted", "approved", "acceptance_requested", "accepted"]), name="renovation_one_open_per_home"),
        ]
        indexes = [
            models.Index(fields=["project", "status", "-created_at"], name="renovation_project_status"),
            models.Index(fields=["room", "-created_at"], name="renovation_room"),
        ]

    def __str__(self):
        return self.number or f"renovation {self.pk}"
