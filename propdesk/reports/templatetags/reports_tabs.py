from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

register = template.Library()

# (url name, label, capability): the sub-navigation of the reports pages.
TABS = [
    ("reports:dashboard", _("Dashboard"), Capability.VIEW_DASHBOARD),
    ("reports:kpis", _("Service KPIs"), Capability.VIEW_REPORTS),
    ("reports:complaint_summary", _("Complaint summary"), Capability.VIEW_REPORTS),
    ("reports:visit_statistics", _("Visit statistics"), Capability.VIEW_REPORTS),
    ("reports:register_requests", _("Request register"), Capability.VIEW_REGISTERS),
    ("reports:register_complaints", _("Complaint register"), Capability.VIEW_REGISTERS),
    ("reports:register_visits", _("Visit register"), Capability.VIEW_REGISTERS),
    ("reports:register_orders", _("Work-order register"), Capability.VIEW_REGISTERS),
    ("reports:public_report_list", _("Service reports"), Capability.VIEW_REPORTS),
    ("wording:report", _("Service language"), Capability.VIEW_REPORTS),  # issue 16: forbidden phrases per person
]


@register.inclusion_tag("reports/_tabs.html", takes_context=True)
def report_tabs(context, keep: str = ""):
    """The reports' tabs, the current one lit. ``keep`` names GET parameters carried from tab to tab (e.g.
    "project month") so that switching report keeps the project and period."""
    request = context["request"]
    current = getattr(request.resolver_match, "view_name", "")
    carried = {name: request.GET[name] for name in keep.split() if request.GET.get(name)}
    tabs = []
    for name, label, capability in TABS:
        if not user_can(request.user, capability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a report not built (yet)
            continue
        tabs.append({"url": f"{url}?{urlencode(carried)}" if carried else url, "label": label,
                     "active": name == current})
    return {"tabs": tabs}
