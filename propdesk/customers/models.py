from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.masking import mask_id_number, mask_phone
from propdesk.core.models import TimeStampedModel
from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Project, Room

from .choices import Gender, PhoneKind, Relation, Segment


class ResidentQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(id=scope.resident_id)
        return super().scope_filter(scope)


class Resident(TimeStampedModel):
    """A person in a project's customer archive 客户档案.

    The archive is kept per project, as each 小区's service center keeps its files: a person with homes in
    two projects has an archive in each. ``archive_no`` is the registration date + daily sequence.
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="residents",
                                verbose_name=_("project"))
    archive_no = models.CharField(_("archive number"), max_length=16, editable=False)
    registered_on = models.DateField(_("registered on"))
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    segment = models.CharField(_("customer segment"), max_length=32, choices=Segment.choices, blank=True)
    is_former_committee = models.BooleanField(_("former owners' committee member"), default=False)
    is_elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    is_vip = models.BooleanField(_("VIP"), default=False)
    is_frequent_complainant = models.BooleanField(_("frequent complainant"), default=False)
    note = models.TextField(_("note"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="resident", verbose_name=_("login account"))

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["project", "archive_no"], name="resident_archive_unique")]
        indexes = [
            models.Index(fields=["project", "name"], name="resident_project_name"),
            models.Index(fields=["project", "-id"], name="resident_project_recent"),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def flags(self) -> list[str]:
        return [str(field.verbose_name) for field in self._meta.fields
                if field.name.startswith("is_") and getattr(self, field.name)]


class Phone(models.Model):
    """A resident's phone. ``project`` and ``last4`` are stored so that the search box finds a caller by the
    last four digits with one index lookup inside the agent's project."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="phones",
                                 verbose_name=_("resident"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    number = models.CharField(_("number"), max_length=24)
    kind = models.CharField(_("kind"), max_length=16, choices=PhoneKind.choices, default=PhoneKind.MOBILE)
    last4 = models.CharField(max_length=4, editable=False)
    is_primary = models.BooleanField(_("primary"), default=False)
    label = models.CharField(_("label"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["resident_id", "-is_primary", "id"]
        constraints = [models.UniqueConstraint(fields=["resident", "number"], name="phone_resident_unique")]
        indexes = [
            models.Index(fields=["project", "last4"], name="phone_project_last4"),
            models.Index(fields=["project", "number"], name="phone_project_number"),
            models.Index(fields=["number"], name="phone_number"),
        ]

    def __str__(self):
        return self.masked

    @property
    def masked(self) -> str:
        return mask_phone(self.number)


class OccupancyQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(resident_id=scope.resident_id)
        return super().scope_filter(scope)

    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on),
                           models.Q(start_date__isnull=True) | models.Q(start_date__lte=on))


class Occupancy(TimeStampedModel):
    """A resident's link to a room: owner, co-owner, tenant, family or other occupant, with dates."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="occupancies",
                                 verbose_name=_("resident"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("room"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        ordering = ["room_id", "relation", "id"]
        indexes = [
            models.Index(fields=["room", "end_date"], name="occupancy_room_end"),
            models.Index(fields=["resident", "end_date"], name="occupancy_resident_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="occupancy_dates_ordered",
            )
        ]

    def __str__(self):
        return f"{self.resident_id}@{self.room_id} {self.relation}"


class ArchiveSequence(models.Model):
    """The last archive number handed out per project and day. Incremented with a single UPDATE so that two
    registrations at the same instant get different numbers on SQLite and PostgreSQL alike."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "day"], name="archive_sequence_unique")]

    def __str__(self):
        return f"{self.project_id} {self.day:%Y%m%d} → {self.last}"
