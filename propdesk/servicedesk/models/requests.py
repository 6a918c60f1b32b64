from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import QuickChoices
from propdesk.core.scoping import ScopedQuerySet
from propdesk.customers.models import Resident
from propdesk.org.models import CommonArea, Department, Project, Room

from ..choices import OPEN_REQUEST_STATUSES, Channel, ComplaintCategory, Emotion, Kind, RequestStatus, Severity
from ..rules.bigrams import text_grams
from ..rules.intake import TEXT_LIMITS

# What the search box reads (rules/bigrams.py); a save() that writes any of these refreshes ``search_grams``.
SEARCH_SOURCES = frozenset({"description", "location_note", "reply", "contact_name", "room", "room_id"})


class RequestQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(reporter_id=scope.resident_id)
        if scope.department_id:  # field staff see requests that have an order for their department
            work_order = apps.get_model("servicedesk", "WorkOrder")
            return (models.Q(id__in=work_order.objects.filter(department_id=scope.department_id).values("request_id"))
                    | models.Q(created_by_id=scope.user_id))
        return super().scope_filter(scope)


class Incident(models.Model):
    """One cause behind many requests (a building without water): one update reaches every reporter."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The affected scope (buildings or units of the project, or all of it) is the targets of an outage notice
    # (notices.Notice), published when the scope is set: every update revises it and reaches every resident in it.
    notice = models.OneToOneField("notices.Notice", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="incident", verbose_name=_("outage notice"))
    expected_restore_at = models.DateTimeField(_("expected restore time"), null=True, blank=True)
    urgent = models.BooleanField(_("urgent: updates also by SMS to everyone in the scope"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "is_open"], name="incident_project_open")]

    def __str__(self):
        return self.title


class ServiceRequest(QuickChoices, models.Model):
    """报事: one event from a resident or from staff, whatever its kind. Deadlines are stored on the row so that
    queues and the sweep filter them by index."""

    # Indexed by request_project_received (project, newest first), which also serves every lookup by project.
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="requests", verbose_name=_("project"),
                                db_index=False)
    number = models.CharField(_("number"), max_length=20, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    # Who and how to reach them. The reporter may be outside the archive (a visitor, a passer-by).
    reporter = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="requests", verbose_name=_("reporter"))
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=24, blank=True)
    # Where.
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="requests",
                             verbose_name=_("room"))
    common_area = models.ForeignKey(CommonArea, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="requests", verbose_name=_("common area"))
    location_note = models.CharField(_("location details"), max_length=200, blank=True)
    # The 5W1H record: when it happened, what, why (as told), how; who/where are above.
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    # Text limits are those of rules/intake.py (the service checks them; a TextField's limit reaches forms only).
    description = models.TextField(_("what happened"), max_length=TEXT_LIMITS["description"])
    cause = models.TextField(_("why (as the resident tells it)"), blank=True, max_length=TEXT_LIMITS["cause"])
    impact = models.TextField(_("how it affects the resident"), blank=True, max_length=TEXT_LIMITS["impact"])
    resident_request = models.TextField(_("what the resident asks for"), blank=True,
                                        max_length=TEXT_LIMITS["resident_request"])
    resident_deadline = models.DateTimeField(_("by when the resident asks"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    emotion = models.CharField(_("emotion at intake"), max_length=16, choices=Emotion.choices, default=Emotion.CALM)
    urgent = models.BooleanField(_("urgent"), default=False)
    # Complaints.
    complaint_category = models.CharField(_("complaint category"), max_length=16, choices=ComplaintCategory.choices,
                                          blank=True)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    complained_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="complaints", verbose_name=_("department complained about"))
    complained_person = models.CharField(_("person complained about"), max_length=100, blank=True)
    complaint_valid = models.BooleanField(_("complaint valid"), null=True, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    # Letters are answered in writing.
    needs_written_reply = models.BooleanField(_("answer in writing"), default=False)
    written_reply = models.TextField(_("written reply"), blank=True)
    written_reply_at = models.DateTimeField(_("written reply sent"), null=True, blank=True)
    # Reply and closing.
    reply = models.TextField(_("reply to the resident"), blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the work was last done (status became resolved or closed); cleared when reopened. "Solved on time" in the
    # reports compares it with resolve_by.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Deadlines and escalation.
    received_at = models.DateTimeField(_("received at"), db_index=True)
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # A major or important complaint taken into handling (rules/escalation.IntakeRule): when, and by whom.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))
    escalations_sent = models.JSONField(default=list, blank=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    # 催单: how often the resident chased the request in the app, and when last (rules/resident.py spaces them).
    hurry_count = models.PositiveSmallIntegerField(_("hurried"), default=0)
    last_hurried_at = models.DateTimeField(_("last hurried at"), null=True, blank=True)
    incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests",
                                 verbose_name=_("incident"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    updated_at = models.DateTimeField(auto_now=True)
    # The search tokens of description, location, reply, contact name and room code (rules/bigrams.py), kept by
    # save(); indexed by an FTS5 table on SQLite and a GIN index on PostgreSQL (selectors/search.py).
    search_grams = models.TextField(blank=True, default="", editable=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-received_at", "-id"]
        # Unique in the whole company: the number starts with the project's prefix (rules/numbers.py).
        constraints = [models.UniqueConstraint(fields=["number"], name="request_number_unique")]
        indexes = [
            # A project's requests newest first (the request list without a filter): the first page read from the
            # index instead of sorting the project's history (9 ms for 2,500 requests, growing with the years).
            models.Index(fields=["project", "-received_at", "-id"], name="request_project_received"),
            models.Index(fields=["project", "status", "-received_at"], name="request_project_status"),
            models.Index(fields=["project", "kind", "-received_at"], name="request_project_kind"),
            models.Index(fields=["reporter", "-received_at"], name="request_reporter"),
            models.Index(fields=["room", "-received_at"], name="request_room"),
            models.Index(fields=["next_escalation_at"], name="request_escalation_due"),
            models.Index(fields=["project", "resolve_by"], name="request_resolve_by"),
            models.Index(fields=["project", "kind", "room", "complaint_category", "received_at"],
                         name="request_repeat_complaint"),
            # Partial: the open requests of a project, newest first (the API's and the lists' "open" filter).
            models.Index(fields=["project", "-received_at"], name="request_open_project",
                         condition=models.Q(status__in=OPEN_REQUEST_STATUSES)),
            # The reports' rollups (reports/rollups/) find the rows changed since their watermark.
            models.Index(fields=["updated_at"], name="request_updated"),
            # The complaint summary reads raw only the complaints still unresolved (late or not yet due "now").
            models.Index(fields=["project", "received_at"], name="request_complaint_unresolved",
                         condition=models.Q(kind="complaint", resolved_at__isnull=True)),
            # The complaint summary's root causes, the newest of each category (reports/selectors/complaints):
            # ten read per category instead of sorting the month's 12,000 causes (19 ms at a million requests).
            models.Index(fields=["complaint_category", "-received_at", "-id"], name="request_complaint_cause",
                         condition=models.Q(kind="complaint") & ~models.Q(root_cause="")),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        """Refresh ``search_grams`` with its sources, in the same statement: a create costs no extra query (its
        room is at hand), a save of other fields leaves it alone."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCH_SOURCES.intersection(update_fields):
            self.search_grams = self.grams_of(
                description=self.description, location_note=self.location_note, reply=self.reply,
                contact_name=self.contact_name, room_code=self.room.code if self.room_id else "")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_grams"}
        super().save(*args, **kwargs)

    @staticmethod
    def grams_of(*, description="", location_note="", reply="", contact_name="", room_code="") -> str:
        """The ``search_grams`` of these texts (for writers that bypass save(), such as bulk_create)."""
        return text_grams(description, location_note, reply, contact_name, room_code)

    @property
    def needs_acknowledgement(self) -> bool:
        """A major or important complaint: someone must take it into handling by ``respond_by``."""
        from ..rules.escalation import intake_rule

        return self.kind == Kind.COMPLAINT and bool(self.severity) and intake_rule(self.severity).needs_acknowledgement

    def responded_at(self, work_orders=()):
        """When the response that ``respond_by`` asks for came, or None: for a complaint that waits for an
        acknowledgement, the acknowledgement alone; for any other request the first of an acknowledgement, the reply
        to the resident and a work order accepted (``work_orders``: the request's orders, already fetched)."""
        if self.needs_acknowledgement:
            return self.acknowledged_at
        times = [self.acknowledged_at, self.replied_at, *(wo.accepted_at for wo in work_orders)]
        return min((t for t in times if t is not None), default=None)

    @property
    def is_complaint(self) -> bool:
        return self.kind == Kind.COMPLAINT

    @property
    def location_label(self) -> str:
        if self.room_id:
            return self.room.code
        if self.common_area_id:
            return self.common_area.name
        return self.location_note


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key (or a form's one-time token) and the request it created: a retried submission
    returns the same request and creates nothing. ``fingerprint`` is a digest of what was submitted with the key
    (empty where none was taken): the same key with a different submission is refused, not answered with the first."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self):
        return self.key
