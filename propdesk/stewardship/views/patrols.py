"""Patrols 巡检: plans, checkpoints with QR codes, schedules, rounds on the phone, findings."""

urlpatterns = []
