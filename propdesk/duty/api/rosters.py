"""API: Rosters 排班: shift kinds per department, who is on duty when, coverage a week ahead."""

from ninja import Router

router = Router(tags=["duty"])
