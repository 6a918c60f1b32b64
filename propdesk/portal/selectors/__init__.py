"""Reads of the resident portal. Every read starts from the signed-in resident: their current homes, the requests
they reported (``ServiceRequest.objects.restrict(user)`` — anyone else's is a 404), and of one request only what
``rules.resident_step`` allows. Query counts do not grow with the rows shown."""

from datetime import date

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from propdesk.customers.models import Occupancy
from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

from .. import rules

FINAL = ("closed", "cancelled")


def resident_of(user):
    """The resident record of a signed-in resident, or None for staff."""
    try:
        return user.resident
    except Exception:  # RelatedObjectDoesNotExist: a staff user
        return None


def resident_homes(*, resident, on: date):
    """The rooms the resident lives in today (owner, tenant, family alike), with their project."""
    return (Occupancy.objects.filter(resident=resident).current(on)
            .select_related("room", "project").order_by("project_id", "room__code"))


# The session key of the home a resident chose to act for (an Occupancy id); see :func:`current_home`.
CURRENT_HOME_SESSION_KEY = "portal_home"


def current_home(*, resident, on: date, chosen_id=None):
    """The home the resident acts for: the one they chose (``chosen_id``, an Occupancy id kept in the session or sent
    by the app) while it is still one of theirs today, else their first current home; None when they have none."""
    homes = list(resident_homes(resident=resident, on=on))
    try:
        chosen = int(chosen_id) if chosen_id is not None else None
    except (TypeError, ValueError):
        chosen = None
    return next((home for home in homes if home.pk == chosen), homes[0] if homes else None)


def resident_requests(*, user):
    """The resident's requests, open ones first, newest first, each with its orders' states (one extra query) and
    whether a follow-up visit waits for the resident's rating (``to_rate``)."""
    orders = Prefetch("work_orders", queryset=WorkOrder.objects.only("id", "request_id", "status").order_by("id"))
    return (ServiceRequest.objects.restrict(user)
            .select_related("room", "common_area")
            .prefetch_related(orders)
            .annotate(finished=Case(When(status__in=FINAL, then=Value(1)), default=Value(0),
                                    output_field=IntegerField()),
                      to_rate=Exists(FollowUpVisit.objects.filter(request=OuterRef("pk"),
                                                                  status=VisitStatus.PENDING)))
            .order_by("finished", "-received_at", "-id"))


def resident_request(*, user, request_id: int) -> ServiceRequest:
    """One of the resident's requests; another household's raises DoesNotExist (a 404 in the view)."""
    return resident_requests(user=user).select_related("project").get(pk=request_id)


def plain_status(request: ServiceRequest) -> str:
    return rules.plain_status(request.status, [wo.status for wo in request.work_orders.all()])


# Looked up when a page is rendered, so they come out in the reader's language.
STEP_WORDS = {
    rules.RECEIVED: _lazy("We received your request."),
    rules.ARRIVED: _lazy("Our staff arrived."),
    rules.RESUMED: _lazy("Work resumed."),
    rules.DONE: _lazy("The work is done."),
    rules.REWORK: _lazy("Reopened: we will do the work again."),
    rules.REPLY: _lazy("Our reply"),
    rules.VISIT: _lazy("We called you back about the service."),
    rules.NOTICE: pgettext_lazy("resident step", "Update"),
    rules.CLOSED: _lazy("Closed."),
    rules.CANCELLED: _lazy("Cancelled."),
}
HOLD_REASON_WORDS = {
    "not_home": _lazy("nobody was at home"),
    "parts": _lazy("waiting for parts"),
    "appointment": _lazy("we come back at the time agreed with you"),
}
STATUS_WORDS = {
    rules.RECEIVED_STATUS: pgettext_lazy("resident status", "Received"),
    rules.ARRANGED_STATUS: pgettext_lazy("resident status", "Being arranged"),
    rules.COMING_STATUS: pgettext_lazy("resident status", "Someone is coming"),
    rules.HERE_STATUS: pgettext_lazy("resident status", "Staff on site"),
    rules.PAUSED_STATUS: pgettext_lazy("resident status", "Paused"),
    rules.DONE_STATUS: pgettext_lazy("resident status", "Done"),
    rules.CLOSED_STATUS: pgettext_lazy("resident status", "Closed"),
    rules.CANCELLED_STATUS: pgettext_lazy("resident status", "Cancelled"),
}


def request_visit(*, request: ServiceRequest):
    """The latest follow-up visit of the request (to rate it, or to show the rating given), or None."""
    return (FollowUpVisit.objects.filter(request=request).exclude(status=VisitStatus.CANCELLED)
            .order_by("-handled_at", "-id").first())


def rate_url(visit) -> str:
    """The portal's rating page of a visit waiting for the resident's rating, else empty. It is behind the
    resident's sign-in: no link token is made for it (the texted links are single-use)."""
    from propdesk.followups.services.rating import resident_may_rate

    if not resident_may_rate(visit):
        return ""
    return reverse("portal:request_rate", args=[visit.request_id])
