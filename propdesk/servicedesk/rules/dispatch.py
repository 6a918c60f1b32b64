"""Which department (and person, or pool) a new request goes to, by the project's rules. Pure Python: no Django.

A rule names a kind (or any kind) and the buildings it covers as residents say them: "1-10", "3,5,7", "1-4, 12"
(blank: every building and common areas). Rules are tried in order; the first that matches wins.
"""

import re
from dataclasses import dataclass

_PART = re.compile(r"^\s*([0-9A-Za-z]+)\s*(?:-\s*([0-9A-Za-z]+)\s*)?$")


class BuildingSpecError(ValueError):
    pass


def parse_buildings(spec: str) -> tuple[frozenset[str], tuple[tuple[int, int], ...]]:
    """'1-10, 12, A' → ({'12', 'A'}, ((1, 10),)). Raises BuildingSpecError on anything else."""
    names: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for part in (spec or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        match = _PART.match(part)
        if not match:
            raise BuildingSpecError(part.strip())
        low, high = match.groups()
        if high is None:
            names.add(low)
        elif low.isdigit() and high.isdigit() and int(low) <= int(high):
            ranges.append((int(low), int(high)))
        else:
            raise BuildingSpecError(part.strip())
    return frozenset(names), tuple(ranges)


def building_matches(spec: str, building_number: str | None) -> bool:
    if not (spec or "").strip():
        return True
    if building_number is None:  # a common area or a place described in words: only "any building" rules apply
        return False
    names, ranges = parse_buildings(spec)
    if building_number in names:
        return True
    return building_number.isdigit() and any(low <= int(building_number) <= high for low, high in ranges)


@dataclass(frozen=True)
class Rule:
    kind: str  # "" = any kind
    buildings: str  # "" = anywhere
    department_id: int
    assignee_id: int | None  # None: the department's pool


def first_match(rules: list[Rule], *, kind: str, building_number: str | None) -> Rule | None:
    for rule in rules:
        if rule.kind and rule.kind != kind:
            continue
        if building_matches(rule.buildings, building_number):
            return rule
    return None
