from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Company, Project
from propdesk.servicedesk.models import ServiceRequest

from .choices import AttemptOutcome, Confirmation, Decision, Quality, Satisfaction, VisitMethod, VisitStatus


class FollowUpPolicy(models.Model):
    """The company's follow-up rules over the handbook defaults (rules/schedule.py) and what a dissatisfied visit
    leads to."""

    class OnDissatisfied(models.TextChoices):
        REOPEN = "reopen", _("reopen the request")
        COMPLAINT = "complaint", _("create a linked complaint")

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="followup_policy",
                                   verbose_name=_("company"))
    rules = models.JSONField(_("visit rules"), default=dict, blank=True,
                             help_text=_('e.g. {"repair": {"opens_after_days": 7, "closes_after_days": 30, '
                                         '"target_rate": 90}}'))
    max_attempts = models.PositiveSmallIntegerField(_("attempts before unreachable"), default=3)
    on_dissatisfied = models.CharField(_("when the resident is dissatisfied"), max_length=16,
                                       choices=OnDissatisfied.choices, default=OnDissatisfied.REOPEN)
    calling_window = models.JSONField(_("calling window"), default=list, blank=True,
                                      help_text=_("Residents' rest hours are avoided, e.g. "
                                                  '[["09:00", "12:00"], ["14:00", "20:00"]]'))

    class Meta:
        verbose_name = _("follow-up policy")
        verbose_name_plural = _("follow-up policies")

    def __str__(self):
        return str(self.company)

    def clean(self):
        """A saved policy is read whenever a request is handled: refuse one the rules cannot read."""
        from django.core.exceptions import ValidationError

        from .rules.schedule import rules_from_config

        try:
            rules_from_config(self.rules)
        except ValueError as error:
            raise ValidationError({"rules": str(error)}) from None


class VisitQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(request__reporter_id=scope.resident_id)
        return super().scope_filter(scope)


class FollowUpVisit(models.Model):
    """回访: one visit after a request was handled, with its window, its visitor and, once made, its record
    (《回访记录表》)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="visits",
                                verbose_name=_("request"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    department = models.ForeignKey("org.Department", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    kind = models.CharField(_("kind"), max_length=16)
    rule = models.CharField(_("rule"), max_length=16)
    handled_at = models.DateTimeField(_("handled at"))
    due_from = models.DateTimeField(_("visit from"))
    due_by = models.DateTimeField(_("visit by"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="followup_visits", verbose_name=_("visitor"))
    visitor_role = models.CharField(_("visited by"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reschedule_reason = models.CharField(_("rescheduled because"), max_length=200, blank=True)
    handed_over_at = models.DateTimeField(_("handed to the project manager at"), null=True, blank=True)
    # The record.
    done_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    method = models.CharField(_("method"), max_length=16, choices=VisitMethod.choices, blank=True)
    quality = models.CharField(_("quality of the work"), max_length=8, choices=Quality.choices, blank=True)
    effect = models.TextField(_("effect of the service"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices, null=True,
                                                    blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    confirmation = models.CharField(_("resident's confirmation"), max_length=16, choices=Confirmation.choices,
                                    blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    follow_request = models.ForeignKey(ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("follow-up complaint"))
    # The project manager's review.
    review_comment = models.TextField(_("manager's comment"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Every write moves it: the reports' rollups find the visits changed since their watermark by it.
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_by", "id"]
        indexes = [
            models.Index(fields=["visitor", "status", "due_by"], name="visit_visitor_due"),
            models.Index(fields=["project", "status", "due_by"], name="visit_project_due"),
            models.Index(fields=["project", "due_by"], name="visit_project_month"),
            models.Index(fields=["status", "due_by", "handed_over_at"], name="visit_handover_sweep"),
            models.Index(fields=["updated_at"], name="visit_updated"),
        ]

    def __str__(self):
        return f"{self.request_id} {self.rule} {self.status}"


class VisitAttempt(models.Model):
    visit = models.ForeignKey(FollowUpVisit, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("who"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=AttemptOutcome.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.visit_id} {self.outcome}"


class RatingLink(models.Model):
    """A rating link texted to the resident. The link carries a random token; only its SHA-256 is kept here, so the
    table cannot be turned back into links. A link works once, until ``expires_at``, for this one visit."""

    visit = models.ForeignKey(FollowUpVisit, on_delete=models.CASCADE, related_name="rating_links",
                              verbose_name=_("follow-up visit"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating link")
        verbose_name_plural = _("rating links")

    def __str__(self):
        return f"{self.visit_id} until {self.expires_at:%Y-%m-%d}"
