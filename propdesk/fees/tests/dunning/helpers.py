"""Homes that owe for the dunning tests: project A's standard items and ladder, bills of chosen months."""

from datetime import date

from propdesk.core.testing import sh
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.setup import fee_items_standard

NOW = sh(2026, 11, 23, 10, 0)


def owing(world, code="3-2-1802", months=("2026-10", "2026-11"), project=None):
    """The home ``code`` of project A (or ``project``) with the bills of ``months`` issued and unpaid."""
    project = project or world.project_a
    fee_items_standard(project=project, effective_from=date(2026, 1, 1))
    room = world.room(project, code)
    for period in months:
        bills_generate(project=project, period_key=period, now=NOW, room_ids=[room.pk])
    return room
