from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from propdesk.core.pagination import CappedPaginator

from .models import Notification
from .services import notification_mark_read


@login_required
def inbox(request):
    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    return render(request, "notify/inbox.html", {"page": CappedPaginator(qs, 50).get_page(request.GET.get("page")),
                                                 "filters": request.GET})


@require_POST
@login_required
def open_notification(request, pk):
    """Mark read and follow the link."""
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        return redirect("notify:inbox")
    notification_mark_read(user=request.user, notification_id=pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notify:inbox")


@require_POST
@login_required
def mark_all_read(request):
    notification_mark_read(user=request.user)
    return redirect("notify:inbox")
