"""JSON API for following a request in the app: /api/portal/requests/{id} (its story, who is coming, quotes, work to
confirm, receipts, what the resident may do now) and the resident's actions on it — comment with photos, cancel,
hurry, agree to or decline a quote, confirm the work, rate it — plus /api/portal/receipts and the resident's photos.
The same services as the pages. Staff get 403; another household's request, order, receipt or photo is a 404; an
action at the wrong moment is a 409 (a hurry too soon: 429) with a message in plain words."""

from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import scoped_404
from propdesk.followups.choices import Satisfaction
from propdesk.followups.services.rating import resident_may_rate, visit_rate_by_resident
from propdesk.servicedesk.api.attachments import IMAGE_CONTENT
from propdesk.servicedesk.services import resident_actions as actions
from propdesk.servicedesk.views.attachments import attachment_response

from .. import selectors
from ..selectors import follow
from . import RequestCardOut, _card, _resident

router = Router(tags=["portal"])


class PhotoOut(Schema):
    id: int
    url: str = Field(..., description="The photo, behind the resident's sign-in (/my/photos/{id}/).")


class FollowStepOut(Schema):
    code: str
    at: datetime
    text: str
    detail: str
    photos: list[PhotoOut]


class ComingOut(Schema):
    work_order_id: int
    name: str
    phone: str = Field(..., description="Masked.")
    department: str
    status: str
    appointment_at: datetime | None


class QuoteLineOut(Schema):
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class QuoteOut(Schema):
    work_order_id: int
    total: Decimal
    lines: list[QuoteLineOut]


class ToConfirmOut(Schema):
    work_order_id: int
    department: str
    result: str
    completed_at: datetime | None


class ReceiptOut(Schema):
    id: int
    receipt_number: str
    request_id: int
    request_number: str
    amount: Decimal
    method: str
    method_label: str
    paid_at: datetime
    items: list[dict]
    payer: str
    location: str
    voided: bool
    voided_at: datetime | None


class FollowOut(RequestCardOut):
    resident_request: str
    hurry_count: int
    photos: list[PhotoOut] = Field(..., description="What was reported.")
    steps: list[FollowStepOut]
    coming: list[ComingOut]
    quotes: list[QuoteOut] = Field(..., description="Quotes of paid repairs waiting for the resident's answer.")
    to_confirm: list[ToConfirmOut] = Field(..., description="Finished work the resident may confirm.")
    receipts: list[ReceiptOut]
    can_cancel: bool
    can_hurry: bool
    next_hurry_at: datetime | None = Field(..., description="When a hurry is possible again, after a recent one.")
    rate_url: str = Field(..., description="The rating page while a follow-up visit is pending, else empty.")
    can_rate: bool


class CommentOut(Schema):
    at: datetime
    text: str
    photos: list[PhotoOut]


class CancelIn(Schema):
    reason: str = Field(..., max_length=200)


class DeclineIn(Schema):
    reason: str = Field(..., max_length=200)


class RateIn(Schema):
    satisfaction: int = Field(..., ge=1, le=5, description="5 very satisfied … 1 very dissatisfied.")
    comment: str = Field("", max_length=500)


class RatedOut(Schema):
    satisfaction: int
    satisfaction_label: str


def _photo(photo) -> dict:
    return {"id": photo.id, "url": reverse("portal:attachment", args=[photo.id])}


def _receipt(payment) -> dict:
    request = payment.work_order.request
    return {"id": payment.pk, "receipt_number": payment.receipt_number, "request_id": request.pk,
            "request_number": request.number, "amount": payment.amount, "method": payment.method,
            "method_label": payment.get_method_display(), "paid_at": payment.paid_at, "items": payment.items,
            "payer": payment.payer, "location": payment.location, "voided": payment.is_void,
            "voided_at": payment.voided_at}


def _own(request, request_id: int):
    _resident(request)
    with scoped_404():
        return selectors.resident_request(user=request.user, request_id=request_id)


def _order(request, request_id: int, work_order_id: int):
    item = _own(request, request_id)
    with scoped_404():
        return follow.resident_order(user=request.user, request=item, work_order_id=work_order_id)


def _detail(request, item) -> dict:
    visit = selectors.request_visit(request=item)
    state = follow.request_follow(request=item, user=request.user)
    return {
        **_card(item), "resident_request": item.resident_request, "hurry_count": item.hurry_count,
        "photos": [_photo(p) for p in state.photos],
        "steps": [{"code": s.code, "at": s.at, "text": s.text, "detail": s.detail,
                   "photos": [_photo(p) for p in s.photos]} for s in state.steps],
        "coming": [vars(c) for c in state.coming],
        "quotes": [{"work_order_id": q.work_order.pk, "total": q.total, "lines": list(q.lines.all())}
                   for q in state.quotes],
        "to_confirm": [{"work_order_id": wo.pk, "department": wo.department.name, "result": wo.result,
                        "completed_at": wo.completed_at} for wo in state.to_confirm],
        "receipts": [_receipt(p) for p in state.receipts],
        "can_cancel": state.can_cancel, "can_hurry": state.can_hurry, "next_hurry_at": state.next_hurry_at,
        "rate_url": selectors.rate_url(visit), "can_rate": resident_may_rate(visit)}


def _fresh(request, request_id: int) -> dict:
    return _detail(request, _own(request, request_id))


@router.get("/requests/{int:request_id}", response=FollowOut,
            summary="One of the resident's requests: its steps in plain words, who is coming, quotes, work to "
                    "confirm, receipts and what the resident may do now")
def request_detail(request, request_id: int):
    return _detail(request, _own(request, request_id))


@router.post("/requests/{int:request_id}/comments", response={201: CommentOut},
             summary="Comment on the request, with up to 6 photos (JPEG, PNG or WebP, at most 5 MB each)")
def request_comment(request, request_id: int, text: Form[str] = "", files: File[list[UploadedFile]] = None):
    item = _own(request, request_id)
    event = actions.request_comment_by_resident(request=item, actor=request.user, text=text, files=files or [])
    return Status(201, {"at": event.at, "text": event.message,
                        "photos": [{"id": pk, "url": reverse("portal:attachment", args=[pk])}
                                   for pk in event.data.get("photos", [])]})


@router.post("/requests/{int:request_id}/cancel", response=FollowOut,
             summary="Cancel the request before anyone is on the way (409 after), with a reason")
def request_cancel(request, request_id: int, payload: CancelIn):
    actions.request_cancel_by_resident(request=_own(request, request_id), actor=request.user, reason=payload.reason)
    return _fresh(request, request_id)


@router.post("/requests/{int:request_id}/hurry", response=FollowOut,
             summary="Hurry the request (催单): at most once per 30 minutes (429), none when it is finished (409); "
                     "the second hurry escalates it one step")
def request_hurry(request, request_id: int):
    actions.request_hurry(request=_own(request, request_id), actor=request.user)
    return _fresh(request, request_id)


@router.post("/requests/{int:request_id}/work-orders/{int:work_order_id}/quote/agree", response=FollowOut,
             summary="Agree to the pending quote of a paid repair (409 when there is none)")
def quote_agree(request, request_id: int, work_order_id: int):
    order = _order(request, request_id, work_order_id)
    actions.quote_answer_in_app(work_order=order, actor=request.user, agree=True)
    return _fresh(request, request_id)


@router.post("/requests/{int:request_id}/work-orders/{int:work_order_id}/quote/decline", response=FollowOut,
             summary="Decline the pending quote of a paid repair, with a reason")
def quote_decline(request, request_id: int, work_order_id: int, payload: DeclineIn):
    order = _order(request, request_id, work_order_id)
    actions.quote_answer_in_app(work_order=order, actor=request.user, agree=False, reason=payload.reason)
    return _fresh(request, request_id)


@router.post("/requests/{int:request_id}/work-orders/{int:work_order_id}/confirm", response=FollowOut,
             summary="Confirm finished work that was completed without a signature or code")
def workorder_confirm(request, request_id: int, work_order_id: int):
    order = _order(request, request_id, work_order_id)
    actions.workorder_confirm_in_app(work_order=order, actor=request.user)
    return _fresh(request, request_id)


@router.post("/requests/{int:request_id}/rate", response=RatedOut,
             summary="Rate the handling 1–5 with a comment (409 when nothing waits for a rating); a dissatisfied "
                     "rating reopens the work or opens a complaint, as a dissatisfied follow-up visit does")
def request_rate(request, request_id: int, payload: RateIn):
    item = _own(request, request_id)
    visit = selectors.request_visit(request=item)
    if not resident_may_rate(visit):
        raise ApplicationError(_("There is nothing to rate on this request now: we ask for your rating once the "
                                 "work is done."), {"code": "nothing_to_rate"}, status_code=409)
    visit_rate_by_resident(visit=visit, satisfaction=payload.satisfaction, comment=payload.comment)
    return {"satisfaction": payload.satisfaction, "satisfaction_label": str(Satisfaction(payload.satisfaction).label)}


@router.get("/receipts", response=list[ReceiptOut], summary="The receipts of the resident's requests, newest "
            "first; voided ones are listed as voided")
def receipt_list(request):
    _resident(request)
    return [_receipt(p) for p in follow.resident_receipts(user=request.user)[:200]]


@router.get("/receipts/{int:receipt_id}", response=ReceiptOut, summary="One receipt of the resident's requests")
def receipt_get(request, receipt_id: int):
    _resident(request)
    with scoped_404():
        return _receipt(follow.resident_receipt(user=request.user, receipt_id=receipt_id))


@router.get("/photos/{int:photo_id}", summary="A photo the resident may see on their own request",
            openapi_extra={"responses": IMAGE_CONTENT})
def photo(request, photo_id: int):
    _resident(request)
    with scoped_404():
        return attachment_response(follow.resident_photo(user=request.user, attachment_id=photo_id))
