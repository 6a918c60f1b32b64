"""The resident's pages, built for a phone: their home(s) and requests, and one request's story in plain words."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

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
        "fees_owed": _fees_owed(request.user, current),
        "steward": _steward(current),
        "open_count": sum(1 for item in page.object_list if item.is_open)})


def _steward(home) -> dict | None:
    """The steward of the home (name and full mobile: the resident may call them), or None."""
    if home is None:
        return None
    from propdesk.stewardship.selectors.zones import steward_contact

    return steward_contact(home.room)


def _fees_owed(user, home) -> str | None:
    """What the home owes now in yuan ("0.00" when nothing), for the 缴费 banner; None without a home."""
    if home is None:
        return None
    from propdesk.fees.selectors.online import owed_total, yuan

    return yuan(owed_total(user=user, home=home))
