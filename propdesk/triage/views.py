"""The intake's suggestions panel: what triage reads in the message being typed, which of the form's choices each
suggestion fills in, and the most similar past cases and handled requests of the caller's project.

The panel only suggests: the agent accepts a field (or all) with a click and can change anything after; nothing is
applied by itself. The labels shown travel back with the form (``triage``) so that what the agent recorded instead
is kept for retraining (``triage_record_outcome``, called through the service desk's intake hook)."""

import json

from django.shortcuts import render
from django.views.decorators.http import require_POST

from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.knowledge.selectors import similar_cases, similar_requests
from propdesk.org.models import Department, Project
from propdesk.servicedesk import selectors as desk_selectors
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .presenting import as_fields
from .rules import triage
from .rules.text import MAX_CHARS

MIN_CHARS = 4  # fewer characters say too little to suggest anything
CONFIDENT = 0.5  # below this a suggestion is shown muted, as a guess


def _pools(project) -> dict[str, str]:
    """Per department kind, the dispatch choice that sends to that kind's pool in ``project`` (the intake form's
    ``pool:<id>`` values), where someone can grab from it."""
    departments = list(Department.objects.filter(project=project).order_by("kind", "id")
                       .values_list("pk", "kind"))
    grabbable = desk_selectors.pool_department_ids(department_ids=[pk for pk, _kind in departments])
    pools: dict[str, str] = {}
    for pk, kind in departments:
        if pk in grabbable:
            pools.setdefault(kind, f"pool:{pk}")
    return pools


@require_POST
@capability_required(Capability.RECORD_REQUESTS)
def intake_suggestions(request):
    """POST description (and project, channel) → the panel's HTML. A project outside the agent's scope is a 404."""
    text = (request.POST.get("description") or "")[:MAX_CHARS]
    project_id = request.POST.get("project") or ""
    project = None
    if project_id:
        if not project_id.isdigit():
            return render(request, "triage/_intake_suggestions.html", {"empty": True}, status=400)
        with scoped_404():
            project = Project.objects.restrict(request.user).get(pk=int(project_id))
    if len(text.strip()) < MIN_CHARS:
        return render(request, "triage/_intake_suggestions.html", {"empty": True})
    result = triage(text, request.POST.get("channel") or "")
    fields = as_fields(result)
    kind = fields["kind"]["label"]
    pools = _pools(project) if project is not None else {}
    dispatch = pools.get(fields["department"]["label"], "")
    rows = []
    for name in ("kind", "category", "severity", "urgency", "department", "emotion"):
        field = fields[name]
        if not field["applies"]:
            continue
        rows.append({"name": name, **field, "percent": round(field["confidence"] * 100),
                     "confident": field["confidence"] >= CONFIDENT,
                     "target": dispatch if name == "department" else field["label"]})
    suggested = {name: fields[name]["label"] for name in fields if fields[name]["applies"]}
    location = result["location"]
    context = {"rows": rows, "kind": kind, "location": location, "dispatch": dispatch,
               "confidence": result["confidence"], "low": result["confidence"] < CONFIDENT,
               "suggested": json.dumps(suggested), "similar": False}
    if project is not None and user_can(request.user, Capability.VIEW_KNOWLEDGE):
        context.update(similar=True, cases=similar_cases(text, user=request.user, project=project, limit=3),
                       requests=similar_requests(text, user=request.user, project=project, limit=3))
    return render(request, "triage/_intake_suggestions.html", context)

