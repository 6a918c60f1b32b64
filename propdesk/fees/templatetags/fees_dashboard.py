"""``{% fees_card project=… period=… %}``: the fees card on the PM's and branch leader's dashboards (propdesk/reports
templates load it, so that the reports app needs no import of fees code). Drawn only for VIEW_FEE_REPORTS."""

from django import template
from django.utils import timezone

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..rules.arrears import BUCKETS
from ..selectors.reports import BUCKET_LABELS, dashboard_figures

register = template.Library()


@register.inclusion_tag("fees/reports/dashboard_card.html", takes_context=True)
def fees_card(context, project=None, period=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_can(user, Capability.VIEW_FEE_REPORTS):
        return {"show": False}
    today = timezone.localdate()
    start = getattr(period, "start", None) or today
    data = dashboard_figures(user=user, year=start.year, month=start.month,
                             project_id=getattr(project, "pk", None), on=today)
    aging = data["aging"]
    return {"show": True, **data, "buckets": [(BUCKET_LABELS[b], aging.amounts[b], aging.homes[b]) for b in BUCKETS],
            "query": f"?month={data['month'].key}" + (f"&project={project.pk}" if project else "")}
