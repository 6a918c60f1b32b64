from datetime import date, time
from zoneinfo import ZoneInfo

from propdesk.movein.rules.handover import age_bucket, can_change_booking, day_slots

SH = ZoneInfo("Asia/Shanghai")


def test_day_slots_fill_the_window_and_drop_a_slot_that_would_overrun():
    plans = day_slots(day=date(2026, 11, 24), first=time(9, 0), last_end=time(11, 15), minutes=30, tz=SH)
    assert [p.starts_at.strftime("%H:%M") for p in plans] == ["09:00", "09:30", "10:00", "10:30"]
    assert plans[-1].ends_at.strftime("%H:%M") == "11:00"
    assert day_slots(day=date(2026, 11, 24), first=time(9, 0), last_end=time(9, 20), minutes=30, tz=SH) == []


def test_bookings_change_until_the_day_before():
    assert can_change_booking(slot_day=date(2026, 11, 25), today=date(2026, 11, 24))
    assert not can_change_booking(slot_day=date(2026, 11, 25), today=date(2026, 11, 25))


def test_age_buckets():
    assert [age_bucket(d) for d in (0, 7, 8, 15, 16, 30, 31)] == ["≤7", "≤7", "8–15", "8–15", "16–30", "16–30",
                                                                  ">30"]
