"""Messages to the resident about their request: an SMS to the contact phone through the outbox (kept out of the
company's quiet hours unless urgent) and, for residents with a login, their inbox. Requests, work orders, payments
and incidents all tell residents things; this sits below them all."""

from datetime import datetime

from django.urls import reverse

from propdesk.notify.services import notify_user, outbox_add

from ..models import ServiceRequest


def tell_resident(request: ServiceRequest, what: str, text: str, *, template: str, params: dict,
                  urgent: bool = False, now: datetime | None = None, new: bool = False) -> None:
    """SMS to the contact phone (through the outbox) and, for residents with a login, the inbox. The SMS is the
    approved ``template`` with ``params`` (notify/sms.py); the inbox shows ``text``. The SMS keeps the company's
    quiet hours unless it is ``urgent`` (someone is on the way). ``new``: the request was inserted by the caller's
    transaction, so nothing can have been sent about it yet (no look-up of the keys first)."""
    if request.contact_phone and request.contact_phone.startswith("1"):
        outbox_add(channel="sms", to=request.contact_phone, template=template, params=params,
                   key=f"resident:{request.pk}:{what}", project=request.project, urgent=urgent, now=now, new=new)
    reporter = request.reporter
    if reporter is not None and reporter.user_id:
        notify_user(user=reporter.user, kind=f"request_{what}", title=text, email=False,
                    url=reverse("portal:request_detail", args=[request.pk]),
                    key=f"resident-inbox:{request.pk}:{what}", new=new)
