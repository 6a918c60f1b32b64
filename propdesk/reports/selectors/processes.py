"""The project manager's "renovation, move-in and violations" figures on the project dashboard (issue 14): what each
process app says needs the PM's eye right now, in a fixed number of queries (each app's ``dashboard_figures``)."""

from __future__ import annotations

from datetime import datetime

from propdesk.movein.selectors.handovers import dashboard_figures as handover_figures
from propdesk.renovation.selectors.applications import dashboard_figures as application_figures
from propdesk.renovation.selectors.inspections import dashboard_figures as inspection_figures
from propdesk.violations.selectors import dashboard_figures as violation_figures

SOURCES = (application_figures, inspection_figures, handover_figures, violation_figures)


def process_figures(*, project_ids: list[int], now: datetime) -> list[dict]:
    """Each figure: ``key``, ``label``, ``value``, ``url``, ``alert``, in the order renovations, handovers,
    violations."""
    return [figure for source in SOURCES for figure in source(project_ids=project_ids, now=now)]
