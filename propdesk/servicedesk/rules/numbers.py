"""Request, work-order and receipt numbers. Pure Python: the services, the demo and the search use these, so that a
number is written and read one way.

A number starts with the project's prefix (``Project.number_prefix``, 2–4 capital letters), which makes it unique in
the whole company (the database enforces it) and tells an agent which project it is of:

- request 报事: ``CH-261130-014`` — prefix, local date of intake (yymmdd), the project's sequence of that day. The
  desk takes it committed at once, before the request's transaction, so that a project's intake is not serialised
  on the day's counter (core/sequences.py): numbers are unique and in order of intake, but a request that failed
  to save after taking its number leaves a gap (014 followed by 016). Receipts keep gapless numbers;
- work order 工单: ``CH-261130-014-2`` — the request's number and the order's index;
- receipt 收据: ``CH-RC2026000001`` — prefix, ``RC``, the year, the project's receipt sequence.

On the phone a resident may read out the whole number or only the part after the prefix (``261130-014``), with
spaces, lower case or Chinese dashes; :func:`parse_request_number` understands all of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


def request_number(prefix: str, day: date, sequence: int) -> str:
    return f"{prefix}-{day:%y%m%d}-{sequence:03d}"


def work_order_number(request_number_: str, index: int) -> str:
    return f"{request_number_}-{index}"


def receipt_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-RC{year:04d}{sequence:06d}"


def request_counter_key(project_id: int, day: date) -> str:
    """The core.Counter row that numbers a project's requests of one local day."""
    return f"request:{project_id}:{day:%Y%m%d}"


def receipt_counter_key(project_id: int) -> str:
    """The core.Counter row that numbers a project's receipts."""
    return f"receipt:{project_id}"


@dataclass(frozen=True)
class NumberQuery:
    prefix: str  # "" when only the part after the prefix was given
    local: str  # 261130-014

    @property
    def full(self) -> str:
        return f"{self.prefix}-{self.local}" if self.prefix else self.local


_DASHES = re.compile(r"[\s\-－—–_/]+")
# prefix, day, then the sequence after a dash (1-5 digits) or straight after the day (exactly 3: "261130014" — not a
# phone number), then a work order's index.
_REQUEST = re.compile(r"(?:([A-Z]{2,4})-?)?(\d{6})(?:-(\d{1,5})|(\d{3}))(?:-\d{1,2})?")


def parse_request_number(text: str) -> NumberQuery | None:
    """What an agent typed, as a request number: ``CH-261130-014``, ``ch 261130 014``, ``261130-014``,
    ``261130014``, or a work order's number (``CH-261130-014-2``, its request's). None when it is not one."""
    cleaned = _DASHES.sub("-", (text or "").strip().upper()).strip("-")
    match = _REQUEST.fullmatch(cleaned)
    if match is None:
        return None
    prefix, day, after_dash, run_on = match.groups()
    sequence = after_dash or run_on
    if int(sequence) == 0:
        return None
    return NumberQuery(prefix=prefix or "", local=f"{day}-{int(sequence):03d}")
