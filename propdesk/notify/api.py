"""JSON API of the in-app inbox: /api/inbox….

Every signed-in user (staff or resident) has an inbox; a user sees and marks only their own notifications, and
anyone else's id is a 404.
"""

from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from propdesk.org.api import Pagination

from .models import Notification
from .services import notification_mark_read

router = Router(tags=["inbox"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str = Field(..., description="The page the notification is about.")
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(notification: Notification) -> bool:
        return notification.read_at is None


class InboxFilters(Schema):
    unread: bool = Field(False, description="Only notifications not read yet.")


class CountOut(Schema):
    unread_count: int


class ReadAllOut(Schema):
    marked: int
    unread_count: int


def _unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


@router.get("", response=list[NotificationOut], summary="The caller's notifications, unread first, newest first")
@paginate(Pagination)
def inbox(request, filters: Query[InboxFilters]):
    notifications = _unread(request.user) if filters.unread else Notification.objects.filter(recipient=request.user)
    unread_first = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return notifications.order_by(unread_first.desc(), "-created_at", "-id")


@router.get("/count", response=CountOut, summary="How many notifications the caller has not read")
def inbox_count(request):
    return {"unread_count": _unread(request.user).count()}


@router.post("/{int:notification_id}/read", response=NotificationOut, summary="Mark one notification read")
def inbox_read(request, notification_id: int):
    notification = Notification.objects.filter(recipient=request.user, pk=notification_id).first()
    if notification is None:
        raise Http404
    notification_mark_read(user=request.user, notification_id=notification.pk)
    notification.refresh_from_db(fields=["read_at"])
    return notification


@router.post("/read-all", response=ReadAllOut, summary="Mark every notification of the caller read")
def inbox_read_all(request):
    marked = notification_mark_read(user=request.user)
    return {"marked": marked, "unread_count": _unread(request.user).count()}
