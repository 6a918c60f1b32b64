"""Planning the property: each project's buildings, rooms and common areas."""

from __future__ import annotations

import random
from decimal import Decimal

from propdesk.console.demo.names import _Context
from propdesk.console.demo.plan import BuildingPlan, CommonAreaPlan, RoomPlan
from propdesk.console.demo.spec import ProjectSpec
from propdesk.org.models import room_code


def _plan_buildings(ctx: _Context, spec: ProjectSpec, scale: float) -> list[BuildingPlan]:
    rng = ctx.rng
    target = max(1, round(spec.rooms * scale))
    low_target = round(target * spec.low_share)
    buildings: list[BuildingPlan] = []
    total = 0
    while not buildings or total < target - low_target:
        number = str(len(buildings) + 1)
        floors = rng.randint(*spec.floors)
        units = rng.randint(*spec.units)
        per_floor = rng.randint(*spec.per_floor)
        # One floor plan per position (a stack of homes has the same area on every floor).
        areas = [_area(rng, per_floor, position, spec.upscale) for position in range(1, per_floor + 1)]
        building = BuildingPlan(number=number, name=f"{number}号楼", floors=floors, units=units,
                                kind="highrise")
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for position in range(1, per_floor + 1):
                    building.rooms.append(RoomPlan(
                        unit=str(unit), floor=floor, number=f"{floor}{position:02d}",
                        area=areas[position - 1], room_type="residence", status=_status(rng)))
        buildings.append(building)
        total += len(building.rooms)
    low_total = 0
    while low_total < low_target:
        number = str(len(buildings) + 1)
        if spec.low_kind == "villa":
            # A row of town houses: every house is one "unit" with one home.
            units = rng.randint(6, 8)
            building = BuildingPlan(number=number, name=f"{number}号联排别墅", floors=3, units=units,
                                    kind="villa")
            for unit in range(1, units + 1):
                area = Decimal(f"{rng.uniform(180, 260):.2f}")
                building.rooms.append(RoomPlan(unit=str(unit), floor=1, number="101", area=area,
                                               room_type="villa", status=_status(rng)))
        else:
            floors, units = rng.randint(6, 11), rng.randint(2, 3)
            areas = [Decimal(f"{rng.uniform(105, 145):.2f}") for _position in (1, 2)]
            building = BuildingPlan(number=number, name=f"{number}号楼", floors=floors, units=units,
                                    kind="midrise")
            for unit in range(1, units + 1):
                for floor in range(1, floors + 1):
                    for position in (1, 2):
                        building.rooms.append(RoomPlan(
                            unit=str(unit), floor=floor, number=f"{floor}{position:02d}",
                            area=areas[position - 1], room_type="residence", status=_status(rng)))
        buildings.append(building)
        low_total += len(building.rooms)
    for building in buildings:
        for room in building.rooms:
            room.code = room_code(building.number, room.unit, room.number)
    return buildings


def _area(rng: random.Random, per_floor: int, position: int, upscale: bool) -> Decimal:
    if per_floor <= 2:
        low, high = (145, 180) if upscale else (115, 150)
    elif position in (1, per_floor):  # end homes are the larger ones
        low, high = (98, 135) if per_floor == 3 else (89, 128)
    else:
        low, high = (72, 95) if per_floor == 3 else (60, 90)
    return Decimal(f"{rng.uniform(low, high):.2f}")


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return "occupied" if roll < 0.80 else "vacant" if roll < 0.95 else "renovating"


def _plan_common_areas(spec: ProjectSpec, buildings: list[BuildingPlan]) -> list[CommonAreaPlan]:
    areas = [CommonAreaPlan("garage", f"地下车库B{level}层") for level in range(1, spec.garage_levels + 1)]
    areas += [CommonAreaPlan("square", "中心广场"), CommonAreaPlan("clubhouse", "会所"),
              CommonAreaPlan("greenery", "中心景观绿地"), CommonAreaPlan("greenery", "东侧绿化带"),
              CommonAreaPlan("other", "南门岗"), CommonAreaPlan("other", "儿童游乐场"),
              CommonAreaPlan("other", "垃圾分类投放点")]
    for building in [b for b in buildings if b.kind != "villa"][:2]:
        areas.append(CommonAreaPlan("lobby", f"{building.number}号楼1单元大堂", building.number))
        for unit in range(1, building.units + 1):
            for lift in (1, 2):
                areas.append(CommonAreaPlan("elevator", f"{building.number}号楼{unit}单元{lift}号电梯",
                                            building.number))
    return areas
