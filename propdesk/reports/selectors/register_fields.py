"""The registers' own filters (besides period and place, which reports/filters.py parses): each a ``FilterField`` with
the values it accepts, used by the filter form, the parsing (registers.register_filters) and the API.

Drill-down values of the requests & complaints registers (the complaint summary links every count to them):

- ``category=none`` / ``severity=none``: complaints without a category / a severity ("not classified", "not
  graded"); ``complained=none``: complaints naming no department (``department`` is the place filter of
  reports/filters.py, a department id); ``valid=none``: validity not yet decided. On the requests register these
  select complaints only (a repair has no category either).
- ``on_time=open``: open, not yet due — neither solved on time nor late (selectors/complaints.open_not_due_q).
- ``building=<id>``: requests about a room in that building; ``area=<id>``: requests about that common area and
  no room (a request naming both counts for the room's building, as in the complaint summary's top places). Both
  are ids in the caller's scope; an unknown id and one outside the scope get the same message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.followups.choices import Satisfaction, VisitStatus
from propdesk.followups.selectors.rates import KIND_LABELS
from propdesk.org.models import Building, CommonArea
from propdesk.servicedesk.choices import ComplaintCategory, Kind, RequestStatus, Severity, WorkOrderStatus

NONE = "none"  # the value selecting rows where the field is empty
YES_NO = (("1", gettext_lazy("yes")), ("0", gettext_lazy("no")))


@dataclass(frozen=True)
class FilterField:
    name: str
    label: Promise
    choices: tuple  # ((value, label), …); empty: any digits (an id)
    default: str = ""  # the value meant when none is sent ("" = any)
    model: type[Model] | None = None  # the id must be of a row of this model in the caller's scope (restrict(user))
    unknown: Promise | None = None  # the message for an id not in the caller's scope

    def error(self, user, sent: str) -> str | None:
        """Why ``sent`` is refused (None: accepted). Scoped ids cost one query."""
        if self.choices:
            return None if sent in {value for value, _label in self.choices} else _("Choose one of the listed values.")
        if not (sent.isdigit() and len(sent) <= 18):
            return str(self.unknown) if self.model is not None else _("Give a user id.")
        if self.model is not None and not self.model.objects.restrict(user).filter(pk=int(sent)).exists():
            return str(self.unknown)
        return None


def _choices(enum, *, leave_out=()) -> tuple:
    return tuple((str(value), label) for value, label in enum.choices if value not in leave_out)


REQUEST_KIND_FIELD = FilterField("kind", gettext_lazy("Kind"), _choices(Kind))
REQUEST_FIELDS = (
    FilterField("category", gettext_lazy("Complaint category"),
                (*_choices(ComplaintCategory), (NONE, gettext_lazy("not classified")))),
    FilterField("severity", gettext_lazy("Severity"), (*_choices(Severity), (NONE, gettext_lazy("not graded")))),
    FilterField("complained", gettext_lazy("Department complained about"),
                ((NONE, gettext_lazy("no department named")),)),
    FilterField("status", gettext_lazy("Status"), _choices(RequestStatus)),
    FilterField("valid", gettext_lazy("Complaint valid"), (*YES_NO, (NONE, gettext_lazy("not yet decided")))),
    FilterField("on_time", gettext_lazy("Solved on time"), (*YES_NO, ("open", gettext_lazy("open, not yet due")))),
    FilterField("repeat", gettext_lazy("Repeat complaint"), YES_NO),
    FilterField("building", gettext_lazy("Building"), (), model=Building,
                unknown=gettext_lazy("No such building in your scope.")),
    FilterField("area", gettext_lazy("Common area"), (), model=CommonArea,
                unknown=gettext_lazy("No such common area in your scope.")),
)
VISIT_RULES = ("complaint", "repair", "help", "other")
VISIT_FIELDS = (
    FilterField("rule", gettext_lazy("Visit kind"), tuple((key, KIND_LABELS[key]) for key in VISIT_RULES)),
    FilterField("status", gettext_lazy("Status"), _choices(VisitStatus, leave_out=(VisitStatus.CANCELLED,))),
    FilterField("satisfaction", gettext_lazy("Satisfaction"), _choices(Satisfaction)),
    FilterField("dissatisfied", gettext_lazy("Dissatisfied"), (("1", gettext_lazy("dissatisfied or worse")),)),
)
MEASURES = {"created": "created_at", "accepted": "accepted_at", "arrived": "arrived_at", "completed": "completed_at"}
ORDER_FIELDS = (
    FilterField("measure", gettext_lazy("Period counts"), (
        ("created", gettext_lazy("orders created")), ("accepted", gettext_lazy("orders accepted")),
        ("arrived", gettext_lazy("orders arrived on site")), ("completed", gettext_lazy("orders completed"))),
        default="created"),
    FilterField("status", gettext_lazy("Status"), _choices(WorkOrderStatus, leave_out=(WorkOrderStatus.CANCELLED,))),
    FilterField("assignee", gettext_lazy("Assignee"), ()),
    FilterField("on_time", gettext_lazy("Completed on time"), YES_NO),
    FilterField("reopened", gettext_lazy("Reopened"), YES_NO),
    FilterField("first_fix", gettext_lazy("First-visit fix"), YES_NO),
)
