"""The resident's online rating. The text message carries a rating link with a random single-use token (only its
hash is stored, in RatingLink, bound to one visit, with an expiry); a resident signed in to the portal rates their
own request without a token. Both count as the visit where the rules allow — not for complaints, which always get a
call; their rating is kept on the timeline for the visitor."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, NotFound
from propdesk.servicedesk.choices import EventKind
from propdesk.servicedesk.models import TimelineEvent
from propdesk.servicedesk.services.timeline import event_add

from ..choices import Confirmation, Satisfaction, VisitMethod, VisitStatus
from ..models import FollowUpVisit, RatingLink
from ..rules.schedule import rule_for
from .policy import visit_policy_for
from .visits import VisitRecord, visit_record

# A link lives until the end of the visit's window (when an online rating stops counting as the visit on time),
# but at least a day (a resident reads texts late) and at most 30 days (a token should not live for months).
LINK_MIN_LIFE = timedelta(days=1)
LINK_MAX_LIFE = timedelta(days=30)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid() -> NotFound:
    # One answer for a link that never existed, was used or has expired: the page tells the resident nothing more.
    return NotFound(_("This rating link is not valid or has expired."))


def rating_link_expiry(*, visit: FollowUpVisit, now: datetime) -> datetime:
    return min(max(visit.due_by, now + LINK_MIN_LIFE), now + LINK_MAX_LIFE)


def rating_link_issue(*, visit: FollowUpVisit, now: datetime | None = None) -> str:
    """A new link token for the visit. The token is returned once, to put in the text message; the database keeps
    its hash only."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    RatingLink.objects.create(visit=visit, token_hash=_token_hash(token), created_at=now,
                              expires_at=rating_link_expiry(visit=visit, now=now))
    return token


def _live_links(now: datetime):
    return RatingLink.objects.filter(used_at__isnull=True, expires_at__gt=now)


def visit_from_token(token: str, *, now: datetime | None = None) -> FollowUpVisit:
    """The visit a live (unused, unexpired) link is for; NotFound for any other token."""
    now = now or timezone.now()
    link = (_live_links(now).select_related("visit__request", "visit__project")
            .filter(token_hash=_token_hash(token or "")).first())
    if link is None:
        raise _invalid()
    return link.visit


def rating_link_id(token: str) -> int | None:
    """The id of the link behind a token, used or not (the thanks page after the link was spent), else None."""
    return RatingLink.objects.filter(token_hash=_token_hash(token or "")).values_list("pk", flat=True).first()


def rated_visit(token: str, *, link_id: int | None) -> FollowUpVisit | None:
    """The visit behind a link this browser has just spent (``link_id`` kept in its session), else None."""
    if link_id is None:
        return None
    link = (RatingLink.objects.select_related("visit__request", "visit__project")
            .filter(pk=link_id, token_hash=_token_hash(token or "")).first())
    return link.visit if link else None


def _check_satisfaction(satisfaction) -> None:
    if isinstance(satisfaction, bool) or satisfaction not in Satisfaction.values:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"satisfaction": [
            _("Choose a satisfaction level from very satisfied to very dissatisfied.")]}})


@transaction.atomic
def visit_rate_online(*, token: str, satisfaction: int, comment: str = "",
                      now: datetime | None = None) -> FollowUpVisit:
    """The resident rates from the texted link. The link is spent by the rating: a second use finds nothing."""
    now = now or timezone.now()
    _check_satisfaction(satisfaction)
    link = _live_links(now).select_for_update().filter(token_hash=_token_hash(token or "")).first()
    if link is None:
        raise _invalid()
    link.used_at = now
    link.save(update_fields=["used_at"])
    return _rate(visit=link.visit, satisfaction=satisfaction, comment=comment, now=now)


@transaction.atomic
def visit_rate_by_resident(*, visit: FollowUpVisit, satisfaction: int, comment: str = "",
                           now: datetime | None = None) -> FollowUpVisit:
    """A resident signed in to the portal rates their own request's pending visit (the caller checked it is theirs).
    """
    now = now or timezone.now()
    _check_satisfaction(satisfaction)
    visit = FollowUpVisit.objects.select_for_update().select_related("request").get(pk=visit.pk)
    if not resident_may_rate(visit):
        raise ApplicationError(_("Your feedback on this request is already recorded. Thank you."), status_code=409)
    return _rate(visit=visit, satisfaction=satisfaction, comment=comment, now=now)


def resident_may_rate(visit: FollowUpVisit | None) -> bool:
    """A pending visit the resident has not rated yet (a complaint's rating leaves its visit pending for the call)."""
    if visit is None or visit.status != VisitStatus.PENDING:
        return False
    return not TimelineEvent.objects.filter(request_id=visit.request_id, action="rating",
                                            at__gte=visit.handled_at).exists()


def _rate(*, visit: FollowUpVisit, satisfaction: int, comment: str, now: datetime) -> FollowUpVisit:
    visit = FollowUpVisit.objects.select_related("request", "project").get(pk=visit.pk)
    policy = visit_policy_for(visit.project.company_id)
    if visit.status != VisitStatus.PENDING or not rule_for(visit.kind, policy.rules).online_allowed:
        event_add(request=visit.request, kind=EventKind.COMMENT, at=now, internal=True, action="rating",
                  message=_("The resident rated online: %(satisfaction)s. %(comment)s") % {
                      "satisfaction": Satisfaction(satisfaction).label, "comment": comment.strip()})
        return visit
    actor = visit.visitor or visit.request.created_by
    return visit_record(visit=visit, actor=actor, now=now, record=VisitRecord(
        method=VisitMethod.ONLINE, satisfaction=satisfaction, shortcomings=comment.strip(),
        confirmation=Confirmation.ONLINE))
