"""/my/report/<kind>/: report on a phone in under a minute. The page works as a plain form (posted here); with its
script (portal/report.js) the photos are shrunk on the phone, the form is kept as a draft while the resident types,
and it is sent through POST /api/portal/requests under the draft's Idempotency-Key, again when the phone is back
online. Both ways end in portal/services/report.request_report."""

import json
import uuid
from datetime import datetime
from itertools import groupby

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext, pgettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.servicedesk.choices import ComplaintCategory, Kind
from propdesk.servicedesk.rules.intake import TEXT_LIMITS
from propdesk.servicedesk.rules.sla import URGENT_REPAIR_HINTS

from .. import selectors
from ..selectors.home import offered_windows, report_areas
from ..services.report import REPORT_KINDS, VISIT_KINDS, ReportInput, request_report
from . import resident_required

HOME = "home"
# The form's names for the service's fields.
FORM_FIELDS = {"common_area_id": "where", "home_id": "where", "kind": None, "description": "description",
               "visit_at": "visit_at", "photos": "photos", "complaint_category": "complaint_category"}


class ReportForm(forms.Form):
    where = forms.ChoiceField(label=_lazy("Where"))
    description = forms.CharField(label=_lazy("What happened"), max_length=TEXT_LIMITS["description"],
                                  widget=forms.Textarea(attrs={"rows": 5}))
    urgent = forms.BooleanField(label=pgettext_lazy("portal", "Urgent"), required=False)
    visit_at = forms.ChoiceField(label=_lazy("When may we come?"), required=False)
    complaint_category = forms.ChoiceField(label=_lazy("What is it about?"), required=False,
                                           choices=ComplaintCategory.choices, initial=ComplaintCategory.PROPERTY)
    photos = forms.Field(label=_lazy("Photos"), required=False)  # the files come from request.FILES
    draft_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, areas, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = [(HOME, _("My home"))] + [(str(a.pk), a.name) for a in areas]
        self.fields["visit_at"].choices = [("", pgettext("portal", "No preference"))] + [
            (w.start.isoformat(), "") for w in windows]


def day_label(day, today) -> str:
    if day == today:
        return pgettext("portal", "Today")
    if (day - today).days == 1:
        return pgettext("portal", "Tomorrow")
    return f"{formats.date_format(day, 'MONTH_DAY_FORMAT')} {WEEKDAYS[day.weekday()]}"


def window_groups(windows, today) -> list[dict]:
    """The offered windows by day, for radio buttons: [{"label": "明天", "windows": [(value, "08:30–10:30")]}]."""
    return [{"label": day_label(day, today),
             "windows": [(w.start.isoformat(), f"{w.start:%H:%M}–{w.end:%H:%M}") for w in group]}
            for day, group in groupby(windows, key=lambda w: w.day)]


DESCRIPTION_MAX = 2000  # the report form's textarea limit


@resident_required
def report(request, resident, kind):
    if kind not in REPORT_KINDS:
        raise Http404("no such kind of report")
    now = timezone.now()
    home = selectors.current_home(resident=resident, on=timezone.localdate(),
                                  chosen_id=request.session.get(selectors.CURRENT_HOME_SESSION_KEY))
    if home is None:
        return render(request, "portal/report.html", {"kind": kind, "kind_label": Kind(kind).label, "home": None})
    areas = list(report_areas(home=home))
    windows = offered_windows(project=home.project, now=now) if kind in VISIT_KINDS else []
    form = ReportForm(request.POST or None, areas=areas, windows=windows,
                      initial={"where": HOME, "draft_key": uuid.uuid4().hex,
                               # what the resident wrote on another kind's page, carried over when they took the
                               # app's suggestion to report it as this kind
                               "description": (request.GET.get("text") or "")[:DESCRIPTION_MAX]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, _new = request_report(
                user=request.user, resident=resident, home=home, now=now, photos=request.FILES.getlist("photos"),
                idempotency_key=data["draft_key"],
                data=ReportInput(kind=kind, description=data["description"],
                                 common_area_id=None if data["where"] == HOME else int(data["where"]),
                                 visit_at=datetime.fromisoformat(data["visit_at"]) if data["visit_at"] else None,
                                 urgent=data["urgent"], complaint_category=data["complaint_category"]))
        except ApplicationError as error:
            fields = {FORM_FIELDS.get(name) or "__all__": messages_ for name, messages_ in
                      error.field_errors.items()}
            apply_to_form(form, ApplicationError(error.message, {"fields": fields}))
        else:
            messages.success(request, _("Thank you: we received your report %(number)s.")
                             % {"number": created.number})
            return redirect("portal:request_detail", pk=created.pk)
    return render(request, "portal/report.html", {
        "kind": kind, "kind_label": Kind(kind).label, "home": home, "form": form, "areas": areas,
        "groups": window_groups(windows, timezone.localdate(now)), "visits": kind in VISIT_KINDS,
        "urgent_hints": json.dumps(URGENT_REPAIR_HINTS, ensure_ascii=False),
        "photos_again": bool(form.errors and request.FILES.getlist("photos") and "photos" not in form.errors)})
