"""``{% period_picker %}``: the period part of the reports' filter bars — a selector of the period type (月/季/周/
自定义) and only the inputs of that type. The inputs of the other types are hidden by CSS (``:has()``, no script
needed) and ignored by the server when ``period`` is sent (periods.PERIOD_TYPES); a small script disables them so
that the address stays clean."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..periods import PERIOD_TYPES, Period

register = template.Library()

TYPE_LABELS = {"month": _("Month"), "quarter": _("Quarter"), "week": _("Week"), "range": _("Custom dates")}
FIELDS = tuple(name for names in PERIOD_TYPES.values() for name in names)


def chosen_type(sent: dict, period: Period | None) -> str:
    """The type shown: the one sent, else the one of the fields sent, else the period's, else month."""
    if sent.get("period") in PERIOD_TYPES:
        return sent["period"]
    for kind, names in PERIOD_TYPES.items():
        if any(sent.get(name) for name in names):
            return kind
    return period.grain if period is not None and period.grain in PERIOD_TYPES else "month"


def values_for(period: Period | None, sent: dict) -> dict:
    """What each input shows: the period on the page (whatever was sent to choose it), else what was sent."""
    values = {name: sent.get(name, "") for name in FIELDS}
    if period is None:
        return values
    if period.grain == "range":
        return {**values, "from": f"{period.start:%Y-%m-%d}", "to": f"{period.last_day:%Y-%m-%d}"}
    return {**values, period.grain: period.key}


@register.inclusion_tag("reports/_period_picker.html", takes_context=True)
def period_picker(context, period=None, errors=None):
    request = context["request"]
    period = period if isinstance(period, Period) else None  # a page with an error has no period ("")
    sent = {name: request.GET.get(name, "").strip() for name in ("period", *FIELDS)}
    chosen = chosen_type(sent, period)
    return {"chosen": chosen, "types": list(TYPE_LABELS.items()), "values": values_for(period, sent),
            "errors": errors or {}}
