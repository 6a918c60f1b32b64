"""First contact 首次联系: within a week of a new occupancy (a new owner, tenant or family member) or of a building
changing hands, the steward contacts the resident. One open task per resident and steward; late ones go to the
project manager once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.customers.models import Resident
from propdesk.org.models import Project, Room

CONTACT_DAYS = 7  # the issue: "within a week"


class ContactReason(models.TextChoices):
    MOVED_IN = "moved_in", _("new occupancy")
    REASSIGNED = "reassigned", _("new steward for the building")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("phone call")
    IN_PERSON = "in_person", _("in person")
    WECHAT = "wechat", _("WeChat")


class ContactStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("contacted")
    SUPERSEDED = "superseded", _("handed over")  # the building went to another steward before the contact


class ContactTask(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="contact_tasks",
                                 verbose_name=_("resident"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_tasks",
                                verbose_name=_("steward"))
    reason = models.CharField(_("reason"), max_length=16, choices=ContactReason.choices)
    status = models.CharField(_("status"), max_length=16, choices=ContactStatus.choices, default=ContactStatus.OPEN)
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due by"))
    done_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("recorded by"))
    method = models.CharField(_("how"), max_length=16, choices=ContactMethod.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    escalated_at = models.DateTimeField(_("sent to the project manager at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("first-contact task")
        verbose_name_plural = _("first-contact tasks")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "steward"], condition=models.Q(status="open"),
                                    name="contact_task_one_open"),
        ]
        indexes = [
            # the steward's worklist and the load per steward: open tasks by due date
            models.Index(fields=["steward", "status", "due_at"], name="contact_steward_open"),
            # the zones page: a project's open and late tasks
            models.Index(fields=["project", "status", "due_at"], name="contact_project_open"),
            # the hourly sweep: open, not yet escalated, past due
            models.Index(fields=["due_at"], name="contact_late_sweep",
                         condition=models.Q(status="open", escalated_at__isnull=True)),
            models.Index(fields=["resident", "status"], name="contact_resident"),
        ]

    def __str__(self):
        return f"{self.resident_id} → {self.steward_id} ({self.status})"

    def is_late(self, now) -> bool:
        return self.status == ContactStatus.OPEN and self.due_at < now
