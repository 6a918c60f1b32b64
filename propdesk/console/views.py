import re

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from propdesk.core.scoping import scope_of
from propdesk.customers.models import Resident
from propdesk.customers.selectors import search
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project, Room
from propdesk.org.rules import parse_room_code
from propdesk.servicedesk.selectors import WORD_HITS, request_search
from propdesk.staff.permissions import user_role

_DIGITS = re.compile(r"[\d\s+()-]*")  # a phone, its last four digits, a room number


@login_required
def home(request):
    """The workbench: the search box first (the phone is ringing), then the user's scope at a glance."""
    role = user_role(request.user)
    if role == "resident":
        return redirect("portal:home")  # a resident's own pages, not the staff archive
    if role in ("technician", "dept_staff"):  # people in the field start from their work orders, not room counts
        return redirect("servicedesk:my_orders")
    scope = scope_of(request.user)
    room_stats = Room.objects.restrict(request.user).aggregate(
        total=Count("id"), occupied=Count("id", filter=Q(status=RoomStatus.OCCUPIED)),
        renovating=Count("id", filter=Q(status=RoomStatus.RENOVATING)),
    )
    context = {
        "role": role,
        "scope": scope,
        "projects": Project.objects.restrict(request.user).select_related("branch").order_by("code")[:20],
        "room_stats": room_stats,
        "resident_count": Resident.objects.restrict(request.user).count(),
    }
    return render(request, "console/home.html", context)


@login_required
def search_view(request):
    """Full page on a plain GET; the results fragment for HTMX as the agent types. One exact hit on Enter
    goes straight to the resident's, room's or request's page. A request number (whole, or the part after the
    project prefix that a resident reads out) finds the request, in the user's scope."""
    results = search(user=request.user, query=request.GET.get("q", ""))
    # Text that is no phone, room or number also finds requests by the words of their text (the newest few).
    by_words = bool(results.query) and not parse_room_code(results.query) and not _DIGITS.fullmatch(results.query)
    results.requests = request_search(user=request.user, query=results.query, words=by_words)
    results.more_requests = by_words and len(results.requests) >= WORD_HITS
    if request.htmx:
        return render(request, "console/_search_results.html",
                      {"results": results, "pick": request.GET.get("pick", "")})
    if request.GET.get("go") and results.total == 1:
        if results.requests:
            return redirect("servicedesk:request_detail", pk=results.requests[0].pk)
        if results.residents:
            return redirect("customers:resident_detail", pk=results.residents[0].pk)
        return redirect("org:room_detail", pk=results.rooms[0].pk)
    return render(request, "console/search.html", {"results": results})
