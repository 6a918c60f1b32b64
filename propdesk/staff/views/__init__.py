"""The signed-in user's own pages: their API tokens (/me/tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, NotFound, apply_to_form

from .. import selectors, services
from ..forms import TokenForm
from ..permissions import user_role


@login_required
def token_list(request):
    """GET: the user's tokens and a form to issue one; POST: issue it and show the raw token this once."""
    can_issue = user_role(request.user) not in (None, "resident")
    form = TokenForm(request.POST or None) if can_issue else None
    issued = raw = None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            issued, raw = services.token_issue(user=request.user, name=form.cleaned_data["name"],
                                               scope=form.cleaned_data["scope"], days=form.cleaned_data["days"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            form = TokenForm()
    now = timezone.now()
    tokens = [(token, token.state(now)) for token in selectors.token_list(user=request.user)]
    response = render(request, "staff/token_list.html", {
        "tokens": tokens, "form": form, "issued": issued, "raw": raw, "can_issue": can_issue})
    if raw:
        response["Cache-Control"] = "no-store"  # the raw token must not stay in any cache
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        token = services.token_revoke(user=request.user, token_id=pk)
    except NotFound:
        raise Http404 from None  # another user's token is simply not there
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("staff:token_list")
