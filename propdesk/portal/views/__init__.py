"""The resident's pages, built for a phone: their home(s) and requests, and one request's story in plain words."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import scoped_404
from propdesk.servicedesk.choices import Kind

from .. import selectors

PAGE_SIZE = 20


def resident_required(view):
    """Signed-in residents only; staff have the console (a 404: there is no resident page of theirs)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        resident = selectors.resident_of(request.user)
        if resident is None:
            raise Http404("not a resident")
        return view(request, resident, *args, **kwargs)

    return wrapper


def _with_status(requests):
    for item in requests:
        item.plain_status = selectors.plain_status(item)
        item.plain_status_label = selectors.STATUS_WORDS[item.plain_status]
        item.is_open = item.plain_status in selectors.rules.OPEN_STATUSES
    return requests


@resident_required
def home(request, resident):
    """The resident's home screen: the home they act for (and a way to switch when they have several), who lives
    there with them, their requests (open first, in plain words), unread notices, and one tap to report."""
    from ..selectors.home import home_notices, household_members
    from ..services.report import REPORT_KINDS

    today = timezone.localdate()
    homes = list(selectors.resident_homes(resident=resident, on=today))
    chosen = request.session.get(selectors.CURRENT_HOME_SESSION_KEY)
    current = next((h for h in homes if str(h.pk) == str(chosen)), homes[0] if homes else None)
    page = Paginator(selectors.resident_requests(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    _with_status(page.object_list)
    service_phone = (current.project.service_phone if current else "") or resident.project.service_phone
    return render(request, "portal/home.html", {
        "resident": resident, "homes": homes, "home": current, "page": page, "service_phone": service_phone,
        "members": household_members(home=current, on=today) if current else [],
        "notices": home_notices(user=request.user, home=current, now=timezone.now()),
        "report_kinds": [(kind, Kind(kind).label) for kind in REPORT_KINDS] if current else [],
        "open_count": sum(1 for item in page.object_list if item.is_open)})


@resident_required
def request_detail(request, resident, pk):
    with scoped_404():
        item = selectors.resident_request(user=request.user, request_id=pk)
    _with_status([item])
    visit = selectors.request_visit(request=item)
    return render(request, "portal/request_detail.html", {
        "resident": resident, "sr": item, "steps": selectors.resident_timeline(request=item),
        "visit": visit, "rate_url": selectors.rate_url(visit)})


@resident_required
def request_rate(request, resident, pk):
    """The resident rates the handling of their own request: the same form as the texted link, behind their
    sign-in. Nothing to rate (no pending visit, or rated already): back to the request."""
    from propdesk.followups.forms import RatingForm
    from propdesk.followups.services.rating import resident_may_rate, visit_rate_by_resident

    with scoped_404():
        item = selectors.resident_request(user=request.user, request_id=pk)
    visit = selectors.request_visit(request=item)
    if not resident_may_rate(visit):
        return redirect("portal:request_detail", pk=item.pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_rate_by_resident(visit=visit, satisfaction=form.cleaned_data["satisfaction"],
                                   comment=form.cleaned_data["comment"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:request_detail", pk=item.pk)
    return render(request, "followups/rate.html", {"visit": visit, "sr": item, "form": form})
