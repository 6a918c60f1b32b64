"""Knowledge pages: the case library (list with word search and "like this" search, a case, new, edit, a case
from a handled request, the similar cases and requests of a request) and the standard answers (a search box that
filters as the agent types, new, edit, answer and close). VIEW_KNOWLEDGE reads, RECORD_CASES writes cases,
EDIT_ANSWERS writes answers; answer and close needs RECORD_REQUESTS and REPLY. Another scope's row is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.pagination import CappedPaginator
from propdesk.core.scoping import scope_of
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..forms import AnswerCloseForm, AnswerForm, CaseForm
from ..models import CaseCategory
from ..selectors import (
    HANDLED,
    answer_detail,
    answer_list,
    case_detail,
    case_list,
    handled_request,
    similar_cases,
    similar_requests,
)
from ..services import (
    AnswerInput,
    CaseInput,
    InquiryInput,
    answer_create,
    answer_update,
    case_create,
    case_update,
    inquiry_answer_close,
    may_edit,
)

viewer_required = capability_required(Capability.VIEW_KNOWLEDGE)
writer_required = capability_required(Capability.RECORD_CASES)
editor_required = capability_required(Capability.EDIT_ANSWERS)
PAGE_SIZE = 25
LIKE_MAX = 2000


def _int(value) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _projects(user):
    return list(Project.objects.restrict(user).order_by("name"))


def _company_wide_label(user) -> str | None:
    """The empty project choice, for those who may write company-wide rows."""
    return _("Whole company") if scope_of(user).level in ("company", "all") else None


# --- cases ----------------------------------------------------------------------------------------------------------

@require_safe
@viewer_required
def case_list_view(request):
    q = (request.GET.get("q") or "").strip()[:50]
    like = (request.GET.get("like") or "").strip()[:LIKE_MAX]
    category = (request.GET.get("category") or "")[:16]
    project_id = _int(request.GET.get("project"))
    context = {"q": q, "like": like, "category": category, "categories": CaseCategory.choices,
               "can_write": user_can(request.user, Capability.RECORD_CASES)}
    if like:
        context["similar"] = similar_cases(like, user=request.user, project=project_id, limit=10)
    else:
        page = CappedPaginator(case_list(user=request.user, q=q, project_id=project_id, category=category),
                               PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, cases=list(page.object_list),
                       filters={k: v for k, v in {"q": q, "category": category, "project": project_id or ""}.items()
                                if v})
    return render(request, "knowledge/case_list.html", context)


@require_safe
@viewer_required
def case_detail_view(request, pk):
    with scoped_404():
        case = case_detail(user=request.user, case_id=pk)
    text = " ".join((case.title, case.tags, case.happened))
    return render(request, "knowledge/case_detail.html", {
        "case": case, "similar": similar_cases(text, user=request.user, limit=5, exclude_id=case.pk),
        "can_edit": user_can(request.user, Capability.RECORD_CASES) and may_edit(request.user, case)})


def _case_input(data, source_request_id=None) -> CaseInput:
    return CaseInput(title=data["title"], category=data["category"], happened=data["happened"],
                     handling=data["handling"], outcome=data["outcome"], lessons=data["lessons"],
                     tags=data["tags"], project_id=data.get("project_id"), source_request_id=source_request_id)


def _case_form_page(request, *, initial=None, source=None, status=200):
    projects = _projects(request.user)
    form = CaseForm(request.POST or None, initial=initial or {}, projects=projects,
                    company_wide=_company_wide_label(request.user))
    if source is not None and "project_id" in form.fields:  # the case belongs to the request's project
        form.fields["project_id"].widget = form.fields["project_id"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(actor=request.user, data=_case_input(
                form.cleaned_data, source.pk if source is not None else None), now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Case %(number)s saved to the library.") % {"number": case.number})
            return redirect("knowledge:case_detail", case.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "knowledge/case_form.html", {"form": form, "source": source}, status=status)


@writer_required
def case_new(request):
    return _case_form_page(request)


def _prefill_from(sr) -> dict:
    """A case drafted from a request: the agent shortens and completes it."""
    happened = sr.description
    for label, text in ((_("Cause as told"), sr.cause), (_("Impact"), sr.impact),
                        (_("The resident asked for"), sr.resident_request)):
        if text:
            happened += f"\n{label}：{text}"
    handling = sr.root_cause or ""
    return {"title": sr.description.replace("\n", " ")[:40], "category": sr.kind, "happened": happened[:4000],
            "handling": handling, "outcome": sr.reply[:4000], "project_id": sr.project_id,
            "tags": sr.room.code if sr.room_id else ""}


@writer_required
def case_from_request(request, pk):
    """Save a handled request as a case: the form prefilled from the request (a request not yet handled: 409)."""
    with scoped_404():
        sr = handled_request(user=request.user, request_id=pk)
    if sr.status not in HANDLED:
        return render(request, "knowledge/case_form.html", {"source": sr, "not_handled": True}, status=409)
    return _case_form_page(request, initial=_prefill_from(sr), source=sr)


@writer_required
def case_edit(request, pk):
    with scoped_404():
        case = case_detail(user=request.user, case_id=pk)
    if not may_edit(request.user, case):
        raise PermissionDenied
    initial = {"title": case.title, "category": case.category, "happened": case.happened,
               "handling": case.handling, "outcome": case.outcome, "lessons": case.lessons, "tags": case.tags,
               "project_id": case.project_id}
    form = CaseForm(request.POST or None, initial=initial, projects=[], company_wide=None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case_update(actor=request.user, case=case, data=_case_input(form.cleaned_data), now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Case %(number)s updated.") % {"number": case.number})
            return redirect("knowledge:case_detail", case.pk)
    if request.method == "POST":
        status = 400
    return render(request, "knowledge/case_form.html", {"form": form, "case": case}, status=status)


@require_safe
@viewer_required
def request_similar(request, pk):
    """The similar cases and past requests of a request, as a fragment its page loads after showing itself."""
    with scoped_404():
        sr = handled_request(user=request.user, request_id=pk)
    text = " ".join((sr.description, sr.cause, sr.resident_request))
    return render(request, "knowledge/_similar.html", {
        "cases": similar_cases(text, user=request.user, project=sr.project_id),
        "requests": similar_requests(text, user=request.user, project=sr.project_id, exclude_id=sr.pk)})


# --- standard answers ---------------------------------------------------------------------------------------------

@require_safe
@viewer_required
def answer_list_view(request):
    q = (request.GET.get("q") or "").strip()[:50]
    projects = _projects(request.user)
    project_id = _int(request.GET.get("project"))
    if project_id not in {p.pk for p in projects}:
        project_id = None
    answers = answer_list(user=request.user, q=q, project_id=project_id)
    user = request.user
    return render(request, "knowledge/answer_list.html", {
        "answers": answers, "q": q, "projects": projects, "project_id": project_id,
        "own_project_id": project_id or scope_of(user).project_id,
        "can_edit": user_can(user, Capability.EDIT_ANSWERS),
        "can_edit_company": scope_of(user).level in ("company", "all"),
        "can_close": user_can(user, Capability.RECORD_REQUESTS) and user_can(user, Capability.REPLY)})


def _answer_form_page(request, *, answer=None):
    projects = [] if answer is not None else _projects(request.user)
    initial = {}
    if answer is not None:
        initial = {"topic": answer.topic, "question": answer.question, "answer": answer.answer,
                   "keywords": answer.keywords, "project_id": answer.project_id}
    elif _int(request.GET.get("project")):
        initial["project_id"] = _int(request.GET.get("project"))
    if answer is None and (topic := (request.GET.get("topic") or "").strip()[:40]):
        initial["topic"] = topic  # "write our own" from a company answer
    form = AnswerForm(request.POST or None, initial=initial, projects=projects,
                      company_wide=_company_wide_label(request.user) if answer is None else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = AnswerInput(topic=data["topic"], question=data["question"], answer=data["answer"],
                             keywords=data["keywords"], project_id=data.get("project_id"))
        try:
            if answer is None:
                answer = answer_create(actor=request.user, data=values, now=timezone.now())
            else:
                answer = answer_update(actor=request.user, answer=answer, data=values, now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Standard answer “%(topic)s” saved.") % {"topic": answer.topic})
            return redirect(f"{_answers_url()}?q={answer.topic}")
    if request.method == "POST":
        status = 400
    return render(request, "knowledge/answer_form.html", {"form": form, "answer": answer}, status=status)


def _answers_url() -> str:
    from django.urls import reverse

    return reverse("knowledge:answer_list")


@editor_required
def answer_new(request):
    return _answer_form_page(request)


@editor_required
def answer_edit(request, pk):
    with scoped_404():
        answer = answer_detail(user=request.user, answer_id=pk)
    if not may_edit(request.user, answer):
        raise PermissionDenied
    return _answer_form_page(request, answer=answer)


@viewer_required
def answer_close(request, pk):
    """Answer and close: one POST records the inquiry with the standard answer as its reply, closed."""
    user = request.user
    if not (user_can(user, Capability.RECORD_REQUESTS) and user_can(user, Capability.REPLY)):
        raise PermissionDenied
    with scoped_404():
        answer = answer_detail(user=user, answer_id=pk)
    projects = [] if answer.project_id else [p for p in _projects(user) if p.company_id == answer.company_id]
    initial = {"question": answer.question, "reply": answer.answer,
               "project_id": answer.project_id or scope_of(user).project_id}
    # A reader of several projects picks the caller's: no project is preselected for them.
    form = AnswerCloseForm(request.POST or None, initial=initial, projects=projects,
                           company_wide="—" if len(projects) > 1 else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sr = inquiry_answer_close(actor=user, answer=answer, now=timezone.now(), data=InquiryInput(
                contact_name=data["contact_name"], contact_phone=data["contact_phone"], room_code=data["room_code"],
                question=data["question"], reply=data["reply"], channel=data["channel"],
                project_id=data.get("project_id")))
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Inquiry %(number)s answered and closed.") % {"number": sr.number})
            return redirect("servicedesk:request_detail", sr.pk)
    if request.method == "POST":
        status = 400
    return render(request, "knowledge/answer_close.html", {"form": form, "answer": answer}, status=status)


urlpatterns = [
    path("knowledge/cases/", case_list_view, name="case_list"),
    path("knowledge/cases/new/", case_new, name="case_new"),
    path("knowledge/cases/<int:pk>/", case_detail_view, name="case_detail"),
    path("knowledge/cases/<int:pk>/edit/", case_edit, name="case_edit"),
    path("knowledge/requests/<int:pk>/case/", case_from_request, name="case_from_request"),
    path("knowledge/requests/<int:pk>/similar/", request_similar, name="request_similar"),
    path("knowledge/answers/", answer_list_view, name="answer_list"),
    path("knowledge/answers/new/", answer_new, name="answer_new"),
    path("knowledge/answers/<int:pk>/edit/", answer_edit, name="answer_edit"),
    path("knowledge/answers/<int:pk>/close/", answer_close, name="answer_close"),
]
