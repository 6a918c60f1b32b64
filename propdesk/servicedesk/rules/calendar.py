"""A working calendar: which instants count as working time, and arithmetic on it. Pure Python: no Django, no ``now()``.

A project works in *slots* of local wall-clock time (e.g. 08:30–12:00 and 13:30–18:00, a lunch break between) on
*workdays*. Workdays follow the Chinese statutory calendar from the ``chinese_calendar`` package — public holidays
**and** the adjusted working days 调休 (a Saturday or Sunday worked to bridge a holiday) — plus the days off and the
working days the company adds itself. ``round_the_clock`` makes every instant count (24×7).

Conventions:
- a slot is half-open, ``[start, end)``: 12:00 is the first instant of the lunch break, not working time. A duration
  that exactly fills a slot ends *at* the slot end (a one-hour job started at 11:00 is done at 12:00, not at 13:30);
  a duration of zero returns the next working instant (12:00 → 13:30);
- arguments may be in any time zone but must be aware; results are in the calendar's zone;
- arithmetic is done on UTC instants, slot bounds are local wall-clock times converted per day, so a zone with
  daylight saving is handled (slots keep their local hours across a switch);
- an end of ``00:00`` means midnight at the end of the day (``"24:00"`` in a config);
- ``chinese_calendar`` 1.11 knows 2004–2026. The State Council publishes the next year's schedule in November or
  December, before the package catches up: an admin enters it (holidays and 调休 days), and the caller passes it in as
  a :class:`HolidaySchedule`, which takes precedence over the package for the years it holds. For a year neither
  knows, a day is a workday when it is Monday–Friday; :meth:`WorkingCalendar.knows_year` and
  :meth:`WorkingCalendar.unknown_years` tell the caller so that it can say so.
"""

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_SLOTS: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)))
MIDNIGHT = time(0)
_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_SECONDS_PER_DAY = 86400


@functools.lru_cache(maxsize=16384)
def _statutory_workday(day: date) -> bool | None:
    """The package's answer for ``day``, or None when it has no data for that year (cached: the package scans its
    whole table on every call to check the year)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def package_knows_year(year: int) -> bool:
    """Whether ``chinese_calendar`` holds the statutory schedule of ``year``."""
    return _statutory_workday(date(year, 1, 1)) is not None


@dataclass(frozen=True)
class HolidaySchedule:
    """The statutory schedule of whole years as entered by the company (from the State Council's notice): the
    holidays and the adjusted working days 调休. For a year in ``years`` a day is a workday when it is an adjusted
    working day, or a Monday–Friday that is not a holiday; the package's data for that year is not consulted."""

    years: frozenset[int] = frozenset()
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        for name in ("years", "holidays", "workdays"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        for name in ("holidays", "workdays"):
            for day in getattr(self, name):
                if isinstance(day, datetime) or not isinstance(day, date):
                    raise ValueError(f"{name} must hold dates, got {day!r}")
                if day.year not in self.years:
                    raise ValueError(f"{name}: {day.isoformat()} lies outside the schedule's years")
        both = self.holidays & self.workdays
        if both:
            days = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"a day cannot be both a holiday and an adjusted working day: {days}")

    def is_workday(self, day: date) -> bool | None:
        """The schedule's answer, or None when ``day``'s year is not in it."""
        if day.year not in self.years:
            return None
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def _seconds_of_day(t: time, *, is_end: bool) -> float:
    seconds = t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1_000_000
    return _SECONDS_PER_DAY if is_end and seconds == 0 else seconds


@dataclass(frozen=True)
class WorkingCalendar:
    slots: tuple[tuple[time, time], ...] = DEFAULT_SLOTS
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TZ))
    extra_holidays: frozenset[date] = frozenset()  # days off the company adds
    extra_workdays: frozenset[date] = frozenset()  # working days the company adds
    round_the_clock: bool = False  # every instant counts, 24×7
    schedule: HolidaySchedule = HolidaySchedule()  # years entered by the company, over the package's data

    def __post_init__(self) -> None:
        # Normalise friendly inputs (lists, sets, a zone name) so the calendar stays hashable and comparable.
        slots = tuple(tuple(slot) for slot in self.slots)
        tz = ZoneInfo(self.tz) if isinstance(self.tz, str) else self.tz
        object.__setattr__(self, "slots", slots)
        object.__setattr__(self, "tz", tz)
        object.__setattr__(self, "extra_holidays", frozenset(self.extra_holidays))
        object.__setattr__(self, "extra_workdays", frozenset(self.extra_workdays))

        if not isinstance(tz, ZoneInfo):
            raise ValueError(f"tz must be a ZoneInfo or a zone name, got {self.tz!r}")
        if not slots and not self.round_the_clock:
            raise ValueError("a working calendar needs at least one working slot (or round_the_clock=True)")
        previous_end = 0.0
        for index, slot in enumerate(slots, start=1):
            if len(slot) != 2 or not all(isinstance(t, time) and t.tzinfo is None for t in slot):
                raise ValueError(f"slot {index} must be a pair of naive datetime.time values, got {slot!r}")
            start, end = _seconds_of_day(slot[0], is_end=False), _seconds_of_day(slot[1], is_end=True)
            if start >= end:
                raise ValueError(f"slot {index} ({slot[0]:%H:%M}–{slot[1]:%H:%M}) must end after it starts")
            if start < previous_end:
                raise ValueError(f"slot {index} ({slot[0]:%H:%M}–{slot[1]:%H:%M}) overlaps or precedes the slot "
                                 "before it: list slots in order, without overlaps")
            previous_end = end
        for name in ("extra_holidays", "extra_workdays"):
            for day in getattr(self, name):
                if isinstance(day, datetime) or not isinstance(day, date):
                    raise ValueError(f"{name} must hold dates, got {day!r}")
        both = self.extra_holidays & self.extra_workdays
        if both:
            days = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"a day cannot be both an extra holiday and an extra workday: {days}")

    # -- days ---------------------------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Company additions first, then the statutory calendar with 调休 (the entered schedule, else the package);
        Monday–Friday for a year neither knows."""
        if isinstance(day, datetime):
            raise TypeError("is_workday takes a date; convert the datetime to the calendar's zone first")
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        statutory = self.schedule.is_workday(day)
        if statutory is None:
            statutory = _statutory_workday(day)
        if statutory is None:  # year unknown to chinese_calendar: fall back to Monday–Friday
            return day.weekday() < 5
        return statutory

    def knows_year(self, year: int) -> bool:
        """Whether the statutory holidays of ``year`` are known (entered, or in the package)."""
        return year in self.schedule.years or package_knows_year(year)

    def unknown_years(self, first: date, last: date) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` (inclusive) whose holidays are unknown, i.e. counted Monday–Friday."""
        return tuple(y for y in range(first.year, last.year + 1) if not self.knows_year(y))

    @property
    def working_day_length(self) -> timedelta:
        """Nominal working time of one workday (24 h when round the clock)."""
        if self.round_the_clock:
            return _DAY
        return timedelta(seconds=sum(_seconds_of_day(e, is_end=True) - _seconds_of_day(s, is_end=False)
                                     for s, e in self.slots))

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """Working intervals of local ``day`` as UTC instants, each ``[start, end)``; empty on a day off."""
        if not self.is_workday(day):
            return []
        intervals = []
        for start, end in self.slots:
            begin = datetime.combine(day, start, tzinfo=self.tz).astimezone(UTC)
            end_day = day + _DAY if end == MIDNIGHT else day
            finish = datetime.combine(end_day, end, tzinfo=self.tz).astimezone(UTC)
            if finish > begin:  # a slot swallowed by a daylight-saving jump counts for nothing
                intervals.append((begin, finish))
        return intervals

    # -- instants -----------------------------------------------------------------------------------------------

    def is_working_time(self, t: datetime) -> bool:
        _require_aware(t, "t")
        if self.round_the_clock:
            return True
        instant = t.astimezone(UTC)
        return any(s <= instant < e for s, e in self._intervals(instant.astimezone(self.tz).date()))

    def next_working_instant(self, t: datetime) -> datetime:
        """``t`` itself when it is working time, else the start of the next slot on a workday."""
        return self.add_working_time(t, _ZERO)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when ``duration`` of working time has passed after ``start``.

        Time before the next slot does not count; the loop walks days, not minutes, and each day costs at most one
        step per slot, so a thousand working hours take about half a year of days.
        """
        _require_aware(start, "start")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        cursor = start.astimezone(UTC)
        if self.round_the_clock:
            return (cursor + duration).astimezone(self.tz)
        remaining = duration
        day = cursor.astimezone(self.tz).date()
        while True:
            for begin, end in self._intervals(day):
                if end <= cursor:
                    continue
                begin = max(begin, cursor)
                available = end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(self.tz)
                remaining -= available
            day += _DAY

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time inside ``[a, b)``; zero when ``b <= a``.

        Inverse of :meth:`add_working_time`: ``add_working_time(a, working_time_between(a, b))`` is the last working
        instant at or before ``b`` (``b`` itself when it is working time, the end of the slot before it otherwise),
        or the next working instant after ``a`` when no working time lies between them.
        """
        _require_aware(a, "a")
        _require_aware(b, "b")
        a_utc, b_utc = a.astimezone(UTC), b.astimezone(UTC)
        if b_utc <= a_utc:
            return _ZERO
        if self.round_the_clock:
            return b_utc - a_utc
        total = _ZERO
        day, last = a_utc.astimezone(self.tz).date(), b_utc.astimezone(self.tz).date()
        while day <= last:
            for begin, end in self._intervals(day):
                low, high = max(begin, a_utc), min(end, b_utc)
                if high > low:
                    total += high - low
            day += _DAY
        return total

    # -- storage ------------------------------------------------------------------------------------------------

    def to_config(self) -> dict[str, Any]:
        """The JSON-ready form :func:`from_config` reads."""
        return {
            "slots": [[_format_time(s), _format_time(e, is_end=True)] for s, e in self.slots],
            "tz": self.tz.key,
            "extra_holidays": sorted(d.isoformat() for d in self.extra_holidays),
            "extra_workdays": sorted(d.isoformat() for d in self.extra_workdays),
            "round_the_clock": self.round_the_clock,
        }


# -- config (JSON stored on a project or an SLA policy) -----------------------------------------------------------

CONFIG_KEYS = frozenset({"slots", "tz", "extra_holidays", "extra_workdays", "round_the_clock"})
_TIME_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _format_time(t: time, *, is_end: bool = False) -> str:
    if is_end and t == MIDNIGHT:
        return "24:00"
    return t.strftime("%H:%M:%S") if t.second or t.microsecond else t.strftime("%H:%M")


def _parse_time(text: Any, *, where: str, is_end: bool) -> time:
    match = _TIME_PATTERN.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"calendar config: {where} must be a time like \"08:30\", got {text!r}")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if is_end and (hour, minute, second) == (24, 0, 0):
        return MIDNIGHT
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"calendar config: {where} is not a valid time: {text!r}")
    return time(hour, minute, second)


def _parse_dates(values: Any, *, name: str) -> frozenset[date]:
    if not isinstance(values, Iterable) or isinstance(values, str | bytes | Mapping):
        raise ValueError(f"calendar config: {name} must be a list of dates like \"2027-01-01\", got {values!r}")
    days = set()
    for value in values:
        try:
            days.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise ValueError(f"calendar config: {name} holds {value!r}, not a date like \"2027-01-01\"") from None
    return frozenset(days)


def from_config(config: Mapping[str, Any] | None) -> WorkingCalendar:
    """Build a calendar from JSON-like data; missing keys take the defaults (08:30–12:00, 13:30–18:00, Shanghai).

    ``{"slots": [["08:30", "12:00"], ["13:30", "18:00"]], "tz": "Asia/Shanghai", "extra_holidays": ["2027-01-01"],
    "extra_workdays": [], "round_the_clock": false}``. Bad input raises ValueError naming the offending key.
    """
    if config is None:
        return WorkingCalendar()
    if not isinstance(config, Mapping):
        raise ValueError(f"calendar config must be an object, got {type(config).__name__}")
    unknown = set(config) - CONFIG_KEYS
    if unknown:
        raise ValueError(f"calendar config: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                         f"expected {', '.join(sorted(CONFIG_KEYS))}")
    kwargs: dict[str, Any] = {}
    if "slots" in config:
        raw = config["slots"]
        if not isinstance(raw, list | tuple):
            raise ValueError(f"calendar config: slots must be a list of [start, end] pairs, got {raw!r}")
        slots = []
        for index, pair in enumerate(raw, start=1):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ValueError(f"calendar config: slot {index} must be a [start, end] pair, got {pair!r}")
            slots.append((_parse_time(pair[0], where=f"slot {index} start", is_end=False),
                          _parse_time(pair[1], where=f"slot {index} end", is_end=True)))
        kwargs["slots"] = tuple(slots)
    if "tz" in config:
        try:
            kwargs["tz"] = ZoneInfo(config["tz"])
        except (ZoneInfoNotFoundError, TypeError, ValueError):
            raise ValueError(f"calendar config: unknown time zone {config['tz']!r}") from None
    for name in ("extra_holidays", "extra_workdays"):
        if name in config:
            kwargs[name] = _parse_dates(config[name], name=name)
    if "round_the_clock" in config:
        flag = config["round_the_clock"]
        if not isinstance(flag, bool):
            raise ValueError(f"calendar config: round_the_clock must be true or false, got {flag!r}")
        kwargs["round_the_clock"] = flag
    try:
        return WorkingCalendar(**kwargs)
    except ValueError as exc:
        raise ValueError(f"calendar config: {exc}") from None
