"""Home visits 拜访: the steward's regular contact with the residents of their zone (not the follow-up visit 回访
after a request). A project's plans say whom to visit how often (by segment or flag); a visit record keeps what was
discussed and the needs found, each of which may have become a request."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.customers.choices import Segment
from propdesk.customers.models import Resident
from propdesk.org.models import Project, Room

SEGMENT_PREFIX = "segment:"


class VisitTarget(models.TextChoices):
    """Whom a plan covers: a flag of the resident or one of the five segments (``segment:<value>``)."""

    ELDERLY_ALONE = "elderly_alone", _("elderly living alone")
    VIP = "vip", _("VIP")
    FREQUENT_COMPLAINANT = "frequent_complainant", _("frequent complainant")
    FORMER_COMMITTEE = "former_committee", _("former owners' committee member")
    YOUNG_PROFESSIONALS = SEGMENT_PREFIX + Segment.YOUNG_PROFESSIONALS, Segment.YOUNG_PROFESSIONALS.label
    AFFLUENT = SEGMENT_PREFIX + Segment.AFFLUENT, Segment.AFFLUENT.label
    SCHOOL_FAMILIES = SEGMENT_PREFIX + Segment.SCHOOL_FAMILIES, Segment.SCHOOL_FAMILIES.label
    RETIREES = SEGMENT_PREFIX + Segment.RETIREES, Segment.RETIREES.label
    PRAGMATIC = SEGMENT_PREFIX + Segment.PRAGMATIC, Segment.PRAGMATIC.label


class VisitFrequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")
    AFTER_COMPLAINT = "after_complaint", _("after each complaint")


class VisitWay(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")


class VisitImpression(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    NEUTRAL = "neutral", _("neutral")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class HomeVisitPlan(models.Model):
    """How often a project visits the residents of one segment or flag. One plan a target and project."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    target = models.CharField(_("residents"), max_length=40, choices=VisitTarget.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=VisitFrequency.choices)
    after_complaint_days = models.PositiveSmallIntegerField(
        _("days after a complaint"), default=3,
        help_text=_("For “after each complaint”: the visit is due this many days after the complaint."))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit plan")
        verbose_name_plural = _("home visit plans")
        ordering = ["project_id", "target"]
        constraints = [models.UniqueConstraint(fields=["project", "target"], name="visitplan_project_target")]

    def __str__(self):
        return f"{self.get_target_display()} · {self.get_frequency_display()}"


class HomeVisit(models.Model):
    """One home visit 拜访 by a steward: by phone or in person, whom they met, what was discussed, the impression."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="home_visits",
                                 verbose_name=_("resident"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("home"))
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="home_visits",
                                verbose_name=_("visited by"))
    way = models.CharField(_("way"), max_length=16, choices=VisitWay.choices)
    visited_at = models.DateTimeField(_("visited at"))
    met = models.CharField(_("who was met"), max_length=100)
    discussed = models.TextField(_("what was discussed"), max_length=2000)
    impression = models.CharField(_("satisfaction impression"), max_length=16, choices=VisitImpression.choices)
    created_at = models.DateTimeField(_("recorded at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["resident", "-visited_at"], name="homevisit_resident_recent"),
            models.Index(fields=["project", "visited_at"], name="homevisit_project_time"),
            models.Index(fields=["steward", "visited_at"], name="homevisit_steward_time"),
        ]

    def __str__(self):
        return f"{self.resident_id} {self.visited_at:%Y-%m-%d} {self.way}"


class HomeVisitNeedQuerySet(ScopedQuerySet):
    project_path = "visit__project"


class HomeVisitNeed(models.Model):
    """A need found on a visit; ``request`` is the request it became (none: noted only)."""

    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="needs", verbose_name=_("visit"))
    kind = models.CharField(_("kind"), max_length=16)
    description = models.CharField(_("need"), max_length=500)
    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("request"))

    objects = HomeVisitNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need found")
        verbose_name_plural = _("needs found")
        ordering = ["visit_id", "id"]

    def __str__(self):
        return self.description[:40]
