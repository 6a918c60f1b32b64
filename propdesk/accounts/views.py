"""The browser's phone sign-in: /login/phone/ (number → code), /login/phone/home/ (which home, when the phone has
several, or the staff console), /my/homes/ (switch homes later without a new code) and the demo's message log.

The session is signed in with Django's ``login`` and the model backend (the code, not a password, is the proof:
django-axes counts password failures per user name; the code's own limits — 5 tries a code, sends per phone and per
address, wrong codes per address — are the phone sign-in's, shared with the API). The verified phone stays in the
session as its HMAC with the homes it had, each checked against the phone again when chosen; it goes with the
session (sign-out, expiry)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.masking import mask_phone
from propdesk.core.views_utils import client_ip
from propdesk.portal.selectors import CURRENT_HOME_SESSION_KEY, resident_homes, resident_of

from . import selectors
from .forms import CodeForm, PhoneForm
from .models import DemoMessage
from .rules.phones import signin_mobile
from .services import home_claim, phone_sign_in, signin_code_send

VERIFIED = "accounts_phone"  # {"key": phone HMAC, "ids": Choices.as_ids()}: the phone verified in this session
PENDING = "accounts_phone_pending"  # the same plus "at", while the person picks a home after the code
PICK_WITHIN = timedelta(minutes=10)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _sign_in(request, *, user, home, key: str, ids: dict):
    if not user.is_active:
        raise PermissionDenied
    login(request, user, backend=BACKEND)  # a different user than the session's: the session is flushed first
    request.session[VERIFIED] = {"key": key, "ids": ids}
    request.session.pop(PENDING, None)
    if home is not None:
        request.session[CURRENT_HOME_SESSION_KEY] = home.pk
    else:
        request.session.pop(CURRENT_HOME_SESSION_KEY, None)
    return redirect("portal:home" if home is not None else "home")


def _status(error: ApplicationError) -> int:
    return 429 if error.status_code == 429 else 200


@require_http_methods(["GET", "POST"])
def login_phone(request):
    """Step one: the number (a code is texted); step two: the code, with a resend button that counts down."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect("home")
    action = request.POST.get("action") if request.method == "POST" else None
    status, step, resend_after = 200, "phone", 0
    form = PhoneForm(request.POST or None)
    if action == "send" and form.is_valid():
        number = signin_mobile(form.cleaned_data["phone"])
        resend = request.POST.get("step") == "code" and number is not None  # the resend button of step two
        # refused as "a code was just sent", step one goes on to the code step too (that code still works)
        try:
            sent = signin_code_send(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except ApplicationError as error:
            status = _status(error)
            resend_after = int(error.extra.get("retry_after", 0)) if status == 429 else 0
            if resend or error.extra.get("code_sent"):
                messages.error(request, str(error.message))
                step, form = "code", CodeForm(initial={"phone": number})
            else:
                apply_to_form(form, error)
        else:
            messages.success(request, sent.message)
            step, resend_after = "code", sent.resend_after
            form = CodeForm(initial={"phone": number})
    elif action == "login":
        step, form = "code", CodeForm(request.POST)
        if form.is_valid():
            try:
                result = phone_sign_in(phone=form.cleaned_data["phone"], code=form.cleaned_data["code"],
                                       ip=client_ip(request), default=False)
            except ApplicationError as error:
                apply_to_form(form, error)
                status = _status(error)
            else:
                ids = result.choices.as_ids()
                if result.user is not None:
                    return _sign_in(request, user=result.user, home=result.home, key=result.key, ids=ids)
                request.session[PENDING] = {"key": result.key, "ids": ids, "at": timezone.now().isoformat()}
                return redirect("accounts:login_phone_home")
    phone = form["phone"].value() or ""
    return render(request, "accounts/login_phone.html", {
        "form": form, "step": step, "resend_after": resend_after,
        "masked_phone": mask_phone(signin_mobile(phone) or "") if step == "code" else ""}, status=status)


def _pending(request):
    pending = request.session.get(PENDING)
    if not pending:
        return None
    try:
        fresh = timezone.now() - datetime.fromisoformat(pending["at"]) <= PICK_WITHIN
    except (KeyError, TypeError, ValueError):
        fresh = False
    return pending if fresh else None


@require_http_methods(["GET", "POST"])
def login_phone_home(request):
    """After the code, when the phone has several homes (or a home and a staff account): which one. Each choice is
    checked against the verified phone again; anything else is ignored."""
    pending = _pending(request)
    if pending is None:
        request.session.pop(PENDING, None)
        return redirect("accounts:login_phone")
    choices = selectors.verified_choices(key=pending["key"], ids=pending["ids"], on=timezone.localdate())
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice == "staff" and choices.staff is not None:
            return _sign_in(request, user=choices.staff, home=None, key=pending["key"], ids=pending["ids"])
        home = next((o for o in choices.homes if str(o.pk) == choice), None)
        if home is not None:
            try:
                user, home = home_claim(key=pending["key"], home_id=home.pk, on=timezone.localdate())
            except ApplicationError:
                home = None
            else:
                return _sign_in(request, user=user, home=home, key=pending["key"], ids=pending["ids"])
        messages.error(request, _("Choose one of the homes below."))
    return render(request, "accounts/home_picker.html", {"choices": choices})


@login_required
@require_http_methods(["GET", "POST"])
def my_homes(request):
    """The signed-in person's homes: their own record's, and — when they signed in by phone in this session — every
    home of that phone (other projects' records too), to switch to without a new code."""
    today = timezone.localdate()
    resident = resident_of(request.user)
    own = list(resident_homes(resident=resident, on=today)) if resident is not None else []
    verified = request.session.get(VERIFIED) or {}
    phone_choices = (selectors.verified_choices(key=verified["key"], ids=verified.get("ids") or {}, on=today)
                     if verified.get("key") else selectors.Choices())
    homes = own + [o for o in phone_choices.homes if all(o.pk != mine.pk for mine in own)]
    if resident is None and not homes:
        raise Http404("no homes")
    current = request.session.get(CURRENT_HOME_SESSION_KEY)
    if request.method == "POST":
        choice = request.POST.get("home", "")
        if choice == "staff" and phone_choices.staff is not None:
            return _sign_in(request, user=phone_choices.staff, home=None, key=verified["key"], ids=verified["ids"])
        mine = next((o for o in own if str(o.pk) == choice), None)
        if mine is not None:
            request.session[CURRENT_HOME_SESSION_KEY] = mine.pk
            return redirect("portal:home")
        other = next((o for o in phone_choices.homes if str(o.pk) == choice), None)
        if other is None:
            raise Http404("not one of your homes")
        try:
            user, home = home_claim(key=verified["key"], home_id=other.pk, on=today)
        except ApplicationError:
            raise Http404("not one of your homes") from None
        return _sign_in(request, user=user, home=home, key=verified["key"], ids=verified["ids"])
    current_id = next((o.pk for o in own if str(o.pk) == str(current)), own[0].pk if own else None)
    return render(request, "accounts/my_homes.html", {
        "homes": homes, "current_id": current_id,
        "staff_choice": phone_choices.staff is not None and phone_choices.staff.pk != request.user.pk})


def demo_messages(request):
    """The demo's message log: the latest texts as the phones received them, codes included. A 404 unless
    settings.DEMO_MESSAGE_LOG (only the local demo turns it on)."""
    if not getattr(settings, "DEMO_MESSAGE_LOG", False):
        raise Http404("the message log is the demo's only")
    rows = list(DemoMessage.objects.order_by("-created_at", "-id")[:30])
    for row in rows:
        row.masked_to = mask_phone(row.to) if "@" not in row.to else row.to
    return render(request, "accounts/demo_messages.html", {"rows": rows})
