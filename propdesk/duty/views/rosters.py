"""Rosters 排班: shift kinds per department, who is on duty when, coverage a week ahead."""

urlpatterns = []
