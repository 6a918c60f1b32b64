"""API: Patrols 巡检: plans, checkpoints with QR codes, schedules, rounds on the phone, findings."""

from ninja import Router

router = Router(tags=["stewardship"])
