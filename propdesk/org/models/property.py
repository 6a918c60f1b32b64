from django.apps import apps
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import TimeStampedModel
from propdesk.core.scoping import ScopedQuerySet

from ..choices import CommonAreaKind, RoomStatus, RoomType
from .org import Project


class Building(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="buildings",
                                verbose_name=_("project"))
    number = models.CharField(_("building number"), max_length=16,
                              help_text=_("What residents say: 3 for building 3; used in room codes."))
    name = models.CharField(_("name"), max_length=50, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors above ground"), default=1,
                                              validators=[MinValueValidator(1)])
    sort = models.PositiveIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["project_id", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="building_number_unique")]

    def __str__(self):
        return self.name or _("Building %(number)s") % {"number": self.number}


class Unit(TimeStampedModel):
    """单元: a stairwell section of a building (not a flat)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units",
                                 verbose_name=_("building"))
    number = models.CharField(_("unit number"), max_length=16)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building_id", "id"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique")]

    def __str__(self):
        return _("Unit %(number)s") % {"number": self.number}


def room_code(building_number: str, unit_number: str, room_number: str) -> str:
    return f"{building_number}-{unit_number}-{room_number}"


class RoomQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            occupancy = apps.get_model("customers", "Occupancy")
            return models.Q(id__in=occupancy.objects.filter(resident_id=scope.resident_id).values("room_id"))
        return super().scope_filter(scope)


class Room(TimeStampedModel):
    """房屋. ``code`` (``3-2-1802``) is what users type; it is unique in a project and indexed."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms",
                                 verbose_name=_("building"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("unit"))
    number = models.CharField(_("room number"), max_length=16)
    code = models.CharField(_("room code"), max_length=50, editable=False)
    floor = models.SmallIntegerField(_("floor"))
    area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    room_type = models.CharField(_("type"), max_length=16, choices=RoomType.choices, default=RoomType.RESIDENCE)
    status = models.CharField(_("status"), max_length=16, choices=RoomStatus.choices, default=RoomStatus.VACANT)
    # 交房日期: fees start from it (prorated in its period); empty for homes handed over before PropDesk.
    handed_over_on = models.DateField(_("handover date"), null=True, blank=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["project_id", "building_id", "unit_id", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="room_code_unique"),
            models.UniqueConstraint(fields=["unit", "number"], name="room_number_unique"),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="room_project_status"),
            models.Index(fields=["building", "floor"], name="room_building_floor"),
            models.Index(fields=["project", "number"], name="room_project_number"),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = room_code(self.building.number, self.unit.number, self.number)
        super().save(*args, **kwargs)


class CommonArea(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="common_areas",
                                verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="common_areas",
                                 null=True, blank=True, verbose_name=_("building"))
    kind = models.CharField(_("kind"), max_length=16, choices=CommonAreaKind.choices)
    name = models.CharField(_("name"), max_length=100)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("common area")
        verbose_name_plural = _("common areas")
        ordering = ["project_id", "building_id", "kind", "id"]

    def __str__(self):
        return self.name
