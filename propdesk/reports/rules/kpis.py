"""The KPIs' duration expressions and the satisfied levels, pure of any page: below both the KPI selectors
(selectors/kpis/figures.py, which states the definitions in words) and the rollup (rollups/kpis.py), so that imports
go one way: selectors → rollups → rules."""

from __future__ import annotations

from django.db.models import DurationField, ExpressionWrapper, F, Func

from propdesk.followups.choices import Satisfaction

SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)


class Seconds(Func):
    """An integer column of seconds as a duration that SQLite and PostgreSQL can subtract from another duration
    (SQLite keeps durations as integer microseconds, PostgreSQL as intervals)."""

    arity = 1
    output_field = DurationField()
    template = "(%(expressions)s * INTERVAL '1 second')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s * 1000000)", **extra_context)


def _since_dispatch(field: str, minus=None):
    expression = F(field) - F("dispatched_at")
    if minus is not None:
        expression = expression - minus
    return ExpressionWrapper(expression, output_field=DurationField())


ACCEPT = _since_dispatch("accepted_at")
ARRIVE = _since_dispatch("arrived_at")
COMPLETE = _since_dispatch("completed_at", Seconds("held_seconds"))
