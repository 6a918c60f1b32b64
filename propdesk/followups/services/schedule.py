"""Schedule the follow-up visit when a request has been handled (called by the service desk's hook)."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.notify.services import notify_user, outbox_add
from propdesk.servicedesk.services import people
from propdesk.staff.models import Role

from ..choices import VisitStatus
from ..models import FollowUpVisit
from ..rules.schedule import rule_for, visitor_for, window
from .policy import visit_policy_for
from .rating import rating_link_issue

User = get_user_model()


def visit_schedule_for_request(*, request, now: datetime) -> FollowUpVisit | None:
    """One visit per handling: a request handled again after a reopening gets a new visit, and a visit still
    pending from the earlier handling is cancelled (it would ask about work that did not last)."""
    if FollowUpVisit.objects.filter(request=request, handled_at__gte=_last_reopen(request)).exists():
        return None
    FollowUpVisit.objects.filter(request=request, status=VisitStatus.PENDING).update(
        status=VisitStatus.CANCELLED, updated_at=timezone.now())  # (update() does not move auto_now by itself)
    policy = visit_policy_for(request.project.company_id)
    rule = rule_for(request.kind, policy.rules)
    due_from, due_by = window(now, rule)
    role = visitor_for(request.kind, request.severity)
    first_order = request.work_orders.order_by("id").first()
    visit = FollowUpVisit.objects.create(
        request=request, project_id=request.project_id, kind=request.kind, rule=rule.key, handled_at=now,
        due_from=due_from, due_by=due_by, visitor=_visitor(role, request), visitor_role=role,
        department_id=request.complained_department_id or (first_order.department_id if first_order else None))
    if rule.online_allowed:
        _send_rating_link(visit, request, now)
    return visit


def _send_rating_link(visit: FollowUpVisit, request, now) -> None:
    """Text the resident a single-use rating link (the outbox sends it after commit), and tell them in their inbox
    when they have a login — there the link is the portal's rating page, behind their sign-in, so no token is kept
    in the inbox. No mobile number: no token is made at all."""
    phone = request.contact_phone
    if not (phone and phone.startswith("1")) and request.reporter_id:
        phone = (request.reporter.phones.filter(number__startswith="1").order_by("-is_primary", "id")
                 .values_list("number", flat=True).first() or "")
    if phone and phone.startswith("1"):
        url = reverse("followups:rate", args=[rating_link_issue(visit=visit, now=now)])
        # The SMS needs the site's address in front of the path (e.g. PUBLIC_BASE_URL=https://kf.example.com).
        link = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + url
        outbox_add(channel="sms", to=phone, template="rating_link", params={"number": request.number, "url": link},
                   key=f"rating:{visit.pk}", project=request.project, now=now)
    reporter = request.reporter
    if reporter is not None and reporter.user_id:
        notify_user(user=reporter.user, kind="visit_rating", url=reverse("portal:request_rate", args=[request.pk]),
                    email=False, key=f"rating-inbox:{visit.pk}",
                    title=_("How was the handling of %(number)s? Rate it") % {"number": request.number})


def _last_reopen(request):
    from propdesk.servicedesk.models import TimelineEvent

    last = (TimelineEvent.objects.filter(request=request, action="reopen").order_by("-at")
            .values_list("at", flat=True).first())
    return last or request.received_at


def _visitor(role: str, request):
    if role == "branch_leader":
        leaders = people.branch_leaders(request.project.branch_id)
        return leaders[0] if leaders else _visitor("project_manager", request)
    if role == "project_manager":
        managers = people.project_managers(request.project_id)
        return managers[0] if managers else _visitor("customer_service", request)
    # Customer service: the agent who recorded the request if they are front desk, else the project's first agent.
    creator = request.created_by
    profile = getattr(creator, "staff_profile", None)
    if profile is not None and profile.role == Role.AGENT and profile.project_id == request.project_id:
        return creator
    return (User.objects.filter(is_active=True, staff_profile__role=Role.AGENT,
                                staff_profile__project_id=request.project_id, staff_profile__is_active=True)
            .order_by("id").first())
