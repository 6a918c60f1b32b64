"""Reads of the service-language check, scoped by user: the counts per person, phrase and month."""

from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import WordingFinding
from .rules import PHRASES

REPORT_MONTHS = 6
KIND_OF = {p.phrase: str(p.kind) for p in PHRASES}
ORDER = {p.phrase: n for n, p in enumerate(PHRASES)}


def first_month(today: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def wording_report(*, user, today: date, project_id: int | None = None, months: int = REPORT_MONTHS) -> dict:
    """Findings in sent texts per month and person, by phrase, counted in SQL in the user's scope.

    Returns {"start": date, "phrases": [{"phrase", "kind", "total"} …] (most frequent first), "rows": [{"month",
    "user_id", "person", "counts": {phrase: n}, "items": [(phrase, n) …], "total"} …] (newest month first, then by
    total), "total": n}."""
    start = first_month(today, months)
    zone = timezone.get_current_timezone()
    rows = WordingFinding.objects.restrict(user).filter(
        created_at__gte=timezone.make_aware(datetime(start.year, start.month, 1), zone))
    if project_id:
        rows = rows.filter(project_id=project_id)
    grouped = (rows.annotate(month=TruncMonth("created_at", tzinfo=zone))
               .values("month", "user_id", "user__username", "user__staff_profile__display_name", "phrase")
               .annotate(n=Count("id")).order_by())
    table: dict[tuple, dict] = {}
    totals: dict[str, int] = {}
    for row in grouped:
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        key = (month, row["user_id"])
        if key not in table:
            table[key] = {"month": month, "user_id": row["user_id"], "counts": {}, "total": 0,
                          "person": row["user__staff_profile__display_name"] or row["user__username"]}
        table[key]["counts"][row["phrase"]] = table[key]["counts"].get(row["phrase"], 0) + row["n"]
        table[key]["total"] += row["n"]
        totals[row["phrase"]] = totals.get(row["phrase"], 0) + row["n"]
    result = sorted(table.values(), key=lambda r: (-r["month"].toordinal(), -r["total"], r["person"]))
    for row in result:
        row["items"] = sorted(row["counts"].items(), key=lambda item: (-item[1], ORDER.get(item[0], 99)))
    phrases = [{"phrase": phrase, "kind": KIND_OF.get(phrase, ""), "total": n}
               for phrase, n in sorted(totals.items(), key=lambda item: (-item[1], ORDER.get(item[0], 99)))]
    return {"start": start, "rows": result, "phrases": phrases, "total": sum(totals.values())}
