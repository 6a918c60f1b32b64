from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..choices import RoomStatus, RoomType
from ..models import Building, Project, Room, Unit, room_code
from ..rules import generate_room_specs

MAX_GENERATED_ROOMS = 5000


@transaction.atomic
def building_create(*, project: Project, number: str, name: str = "", floors: int, units: int,
                    rooms_per_floor: int, first_floor: int = 1, room_type: str = RoomType.RESIDENCE,
                    area=None) -> Building:
    """Create a building with its units and rooms generated from floors × rooms per floor."""
    number = (number or "").strip()
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Enter the building number.")]
    elif Building.objects.filter(project=project, number=number).exists():
        errors["number"] = [_("Building %(number)s already exists in this project.") % {"number": number}]
    for field, value, low, high in (("floors", floors, 1, 200), ("units", units, 1, 50),
                                    ("rooms_per_floor", rooms_per_floor, 0, 99)):
        if value is None or not low <= value <= high:
            errors[field] = [_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    if not errors and units * floors * rooms_per_floor > MAX_GENERATED_ROOMS:
        errors["rooms_per_floor"] = [_("That would be more than %(max)s rooms in one building.")
                                     % {"max": MAX_GENERATED_ROOMS}]
    if room_type not in RoomType.values:
        errors["room_type"] = [_("Unknown room type.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    building = Building.objects.create(project=project, number=number, name=name or "", floors=floors,
                                       sort=Building.objects.filter(project=project).count() + 1)
    unit_rows = Unit.objects.bulk_create(
        [Unit(project=project, building=building, number=str(n)) for n in range(1, units + 1)])
    by_number = {u.number: u for u in unit_rows}
    if not all(u.pk for u in unit_rows):  # backends that do not return ids from bulk_create
        by_number = {u.number: u for u in building.units.all()}
    rooms = [
        Room(project=project, building=building, unit=by_number[spec.unit], number=spec.number,
             code=room_code(building.number, spec.unit, spec.number), floor=spec.floor, area=area,
             room_type=room_type, status=RoomStatus.VACANT)
        for spec in generate_room_specs(units=units, floors=floors, rooms_per_floor=rooms_per_floor,
                                        first_floor=first_floor)
    ]
    Room.objects.bulk_create(rooms, batch_size=1000)
    return building


UNCHANGED = object()


@transaction.atomic
def room_update(*, room: Room, floor: int, area, room_type: str, status: str, handed_over_on=UNCHANGED) -> Room:
    """Edit a room. ``handed_over_on`` (交房日期) is where fees start; left out, it is kept."""
    errors = {}
    if room_type not in RoomType.values:
        errors["room_type"] = [_("Unknown room type.")]
    if status not in RoomStatus.values:
        errors["status"] = [_("Unknown room status.")]
    if area is not None and area < 0:
        errors["area"] = [_("The area cannot be negative.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    room.floor, room.area, room.room_type, room.status = floor, area, room_type, status
    fields = ["floor", "area", "room_type", "status", "updated_at"]
    if handed_over_on is not UNCHANGED:
        room.handed_over_on = handed_over_on
        fields.append("handed_over_on")
    room.save(update_fields=fields)
    return room
