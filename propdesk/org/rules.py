"""Pure rules of the property archive: room numbering. No Django."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RoomSpec:
    unit: str
    floor: int
    number: str


def generate_room_specs(*, units: int, floors: int, rooms_per_floor: int, first_floor: int = 1,
                        skip_floors: frozenset[int] = frozenset()) -> list[RoomSpec]:
    """Rooms of a building from floors × rooms per floor, numbered as Chinese buildings are:
    floor then a two-digit position, 1802 = 18th floor, 2nd door. Every unit gets the same layout."""
    specs = []
    for unit in range(1, units + 1):
        for floor in range(first_floor, first_floor + floors):
            if floor in skip_floors:
                continue
            for position in range(1, rooms_per_floor + 1):
                specs.append(RoomSpec(unit=str(unit), floor=floor, number=f"{floor}{position:02d}"))
    return specs


def parse_room_code(text: str) -> tuple[str, str, str] | None:
    """``3-2-1802`` → ("3", "2", "1802"); also accepts 3栋2单元1802 and spaces/slashes; None if not a code."""
    import re

    cleaned = text.strip().replace("栋", "-").replace("幢", "-").replace("号楼", "-").replace("单元", "-")
    cleaned = re.sub(r"[\s/－—]+", "-", cleaned).strip("-").rstrip("室")
    parts = [p for p in cleaned.split("-") if p]
    if len(parts) == 3 and all(re.fullmatch(r"[0-9A-Za-z]{1,16}", p) for p in parts):
        return parts[0], parts[1], parts[2]
    return None


# --- a project's number prefix ----------------------------------------------------------------------------------
# Request, work-order and receipt numbers start with the project's prefix (CH-261130-014), so that a number is unique
# in the whole company and says which project it is of. 2–4 capital letters: short to read out on the phone.

NUMBER_PREFIX_PATTERN = r"[A-Z]{2,4}"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def number_prefix_candidates(code: str):
    """The prefixes a project with ``code`` may get, best first (the first one not taken is used): the code's first
    two letters (cuihu → CU), its first letter with each later letter (CI, CH), its first two letters with each
    later letter, then every two-, three- and four-letter prefix starting with its first letter. Deterministic."""
    from itertools import product

    letters = "".join(c for c in code.upper() if c in _ALPHABET) or "P"
    seen: set[str] = set()
    first = letters[0]
    preferred = [letters[:2], *(first + c for c in letters[1:]), *(letters[:2] + c for c in letters[2:])]
    for candidate in preferred:
        if len(candidate) >= 2 and candidate not in seen:
            seen.add(candidate)
            yield candidate
    for length in (1, 2, 3):
        for rest in product(_ALPHABET, repeat=length):
            candidate = first + "".join(rest)
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def number_prefix_for(code: str, taken) -> str:
    """The first of ``number_prefix_candidates(code)`` not in ``taken`` (a set or anything supporting ``in``)."""
    return next(candidate for candidate in number_prefix_candidates(code) if candidate not in taken)
