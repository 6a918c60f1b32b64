"""Following one request on the phone: its story, who is coming, and the resident's buttons — comment with photos,
cancel, hurry (催单), agree to a quote, confirm the work, rate it — plus their receipts and photos. Every action is
one service of servicedesk/services/resident_actions.py; another household's request is a 404; a refusal comes back
as a message on the request's page, in plain words."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import scoped_404
from propdesk.servicedesk.services import resident_actions as actions
from propdesk.servicedesk.views.attachments import attachment_response

from .. import selectors
from ..selectors import follow
from . import _with_status, resident_required


def _own(request, pk):
    with scoped_404():
        return selectors.resident_request(user=request.user, request_id=pk)


def _back(pk, anchor: str = ""):
    response = redirect("portal:request_detail", pk=pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _done(request, pk, message: str, anchor: str = ""):
    messages.success(request, message)
    return _back(pk, anchor)


def _refused(request, pk, error: ApplicationError, anchor: str = ""):
    messages.error(request, message_text(error))
    return _back(pk, anchor)


@require_safe
@resident_required
def request_detail(request, resident, pk):
    item = _own(request, pk)
    _with_status([item])
    visit = selectors.request_visit(request=item)
    state = follow.request_follow(request=item, user=request.user)
    return render(request, "portal/request_detail.html", {
        "resident": resident, "sr": item, "steps": state.steps, "follow": state, "visit": visit,
        "rate_url": selectors.rate_url(visit), "photo_max": 6})


@require_POST
@resident_required
def request_comment(request, resident, pk):
    item = _own(request, pk)
    try:
        actions.request_comment_by_resident(request=item, actor=request.user, text=request.POST.get("text", ""),
                                            files=request.FILES.getlist("photos"))
    except ApplicationError as error:
        return _refused(request, pk, error, "comment")
    return _done(request, pk, _("Your comment was added; the service center can see it."), "steps")


@require_POST
@resident_required
def request_cancel(request, resident, pk):
    item = _own(request, pk)
    try:
        actions.request_cancel_by_resident(request=item, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        return _refused(request, pk, error, "cancel")
    return _done(request, pk, _("Your request was cancelled."))


@require_POST
@resident_required
def request_hurry(request, resident, pk):
    item = _own(request, pk)
    try:
        actions.request_hurry(request=item, actor=request.user)
    except ApplicationError as error:
        return _refused(request, pk, error)
    return _done(request, pk, _("We have told the service center and the staff on it that you are waiting."))


@require_POST
@resident_required
def workorder_confirm(request, resident, pk, work_order_id):
    item = _own(request, pk)
    with scoped_404():
        order = follow.resident_order(user=request.user, request=item, work_order_id=work_order_id)
    try:
        actions.workorder_confirm_in_app(work_order=order, actor=request.user)
    except ApplicationError as error:
        return _refused(request, pk, error)
    return _done(request, pk, _("Thank you for confirming the work."), "rate")


@require_POST
@resident_required
def quote_answer(request, resident, pk, work_order_id):
    """Agree to the pending quote of a paid repair (``answer=agree``) or decline it with a reason."""
    item = _own(request, pk)
    with scoped_404():
        order = follow.resident_order(user=request.user, request=item, work_order_id=work_order_id)
    agree = request.POST.get("answer") == "agree"
    try:
        actions.quote_answer_in_app(work_order=order, actor=request.user, agree=agree,
                                    reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        return _refused(request, pk, error, f"quote-{order.pk}")
    return _done(request, pk, _("You agreed to the quote; the work can start.") if agree else
                 _("You declined the quote; the service center will contact you."))


@resident_required
def request_rate(request, resident, pk):
    """The resident rates the handling of their own request (1–5 and a comment): the same form as the texted link,
    behind their sign-in. A dissatisfied rating takes the path of a dissatisfied follow-up visit (reopen or
    complaint, by the company's policy; the branch is told). Nothing to rate: back to the request."""
    from propdesk.followups.forms import RatingForm
    from propdesk.followups.services.rating import resident_may_rate, visit_rate_by_resident

    item = _own(request, pk)
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


@require_safe
@resident_required
def receipt(request, resident, pk):
    """A receipt of one of the resident's requests, as issued (voided ones say so)."""
    with scoped_404():
        payment = follow.resident_receipt(user=request.user, receipt_id=pk)
    return render(request, "portal/receipt.html", {"resident": resident, "payment": payment,
                                                   "sr": payment.work_order.request, "now": timezone.now()})


@require_safe
@resident_required
def attachment(request, resident, pk):
    """A photo the resident may see on their own request: what was reported, their own, the finished work."""
    with scoped_404():
        photo = follow.resident_photo(user=request.user, attachment_id=pk)
    return attachment_response(photo)
