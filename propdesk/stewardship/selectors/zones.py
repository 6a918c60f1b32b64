"""Who the steward of a building or home is: read by every part (visits due, patrol supervisors, the customer page,
the resident's app). One query each."""

from propdesk.stewardship.models import ZoneAssignment


def steward_by_building(building_ids) -> dict:
    """{building_id: steward user} for the buildings that have a steward."""
    rows = ZoneAssignment.objects.filter(building_id__in=list(building_ids)).select_related("steward",
                                                                                          "steward__staff_profile")
    return {row.building_id: row.steward for row in rows}


def steward_by_room(rooms) -> dict:
    """{room_id: steward user} for ``rooms`` (Room objects: their building_id is read)."""
    rooms = list(rooms)
    by_building = steward_by_building({room.building_id for room in rooms})
    return {room.pk: by_building[room.building_id] for room in rooms if room.building_id in by_building}


def building_ids_of(steward) -> list[int]:
    """The buildings in ``steward``'s zone."""
    return list(ZoneAssignment.objects.filter(steward=steward).values_list("building_id", flat=True))
