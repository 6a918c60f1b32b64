"""Writing the knowledge: cases (from a handled request or from scratch), standard answers, and "answer and
close" — an inquiry answered with a standard answer, recorded and closed in one step through the service desk's own
services (request_submit, request_reply). Every function is one transaction; bad input raises ApplicationError
with field-level messages and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.scoping import scope_of
from propdesk.notify.sms import sms_param_cut
from propdesk.org.models import Project, Room
from propdesk.servicedesk.choices import Channel, Kind
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.services.requests import RequestInput, request_comment, request_reply, request_submit

from ..models import TAGS_MAX, TEXT_MAX, TITLE_MAX, Case, CaseCategory, StandardAnswer
from ..selectors import HANDLED

TOPIC_MAX = 40
QUESTION_MAX = 300


def _fail(errors: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _too_long(errors: dict, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(name, []).append(_("At most %(limit)s characters (this has %(length)s).")
                                           % {"limit": limit, "length": len(value)})


def _place(*, actor, project_id: int | None, errors: dict, company_wide_label: str):
    """(company id, project or None) for a row written by ``actor``: a project of their scope, or the company's own
    row when nothing is named — which only a company-wide reader (quality, admin) may write."""
    scope = scope_of(actor)
    if project_id:
        project = Project.objects.restrict(actor).filter(pk=project_id).first()
        if project is None:
            errors["project_id"] = [_("Unknown project.")]
            return None, None
        return project.company_id, project
    if scope.level in ("company", "all") and scope.company_id:
        return scope.company_id, None
    if scope.project_id:  # staff of one project write for it by default
        project = Project.objects.filter(pk=scope.project_id).first()
        return (project.company_id, project) if project else (None, None)
    errors["project_id"] = [company_wide_label]
    return None, None


# --- cases ----------------------------------------------------------------------------------------------------------

@dataclass
class CaseInput:
    title: str
    category: str
    happened: str
    handling: str = ""
    outcome: str = ""
    lessons: str = ""
    tags: str = ""
    project_id: int | None = None  # None: the request's project, else the writer's project, else company-wide
    source_request_id: int | None = None


def _case_errors(data: CaseInput) -> dict:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the case a short title.")]
    if data.category not in CaseCategory.values:
        errors["category"] = [_("Choose the category.")]
    if not data.happened.strip():
        errors["happened"] = [_("Write down what happened.")]
    _too_long(errors, "title", data.title.strip(), TITLE_MAX)
    _too_long(errors, "tags", " ".join(data.tags.split()), TAGS_MAX)
    for name in ("happened", "handling", "outcome", "lessons"):
        _too_long(errors, name, getattr(data, name).strip(), TEXT_MAX)
    return errors


def _fill_case(case: Case, data: CaseInput) -> None:
    case.title, case.category = data.title.strip(), data.category
    case.happened, case.handling = data.happened.strip(), data.handling.strip()
    case.outcome, case.lessons = data.outcome.strip(), data.lessons.strip()
    case.tags = " ".join(dict.fromkeys(data.tags.replace("，", " ").replace(",", " ").split()))
    case.refresh_grams()


@transaction.atomic
def case_create(*, actor, data: CaseInput, now: datetime | None = None) -> Case:
    """Save a case. From a request (``source_request_id``): the request must be of the writer's scope and handled
    (resolved or closed); the case belongs to its project."""
    now = now or timezone.now()
    errors = _case_errors(data)
    source = None
    project_id = data.project_id
    if data.source_request_id:
        source = ServiceRequest.objects.restrict(actor).filter(pk=data.source_request_id).first()
        if source is None:
            errors["source_request_id"] = [_("Unknown request.")]
        elif source.status not in HANDLED:
            errors["source_request_id"] = [_("Only a handled request (resolved or closed) can be saved as a case.")]
        else:
            project_id = project_id or source.project_id
    company_id, project = _place(actor=actor, project_id=project_id, errors=errors,
                                 company_wide_label=_("Choose the project the case belongs to."))
    if errors:
        _fail(errors)
    case = Case(company_id=company_id, project=project, source_request=source, created_by=actor, created_at=now,
                updated_at=now)
    _fill_case(case, data)
    case.save(force_insert=True)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, data: CaseInput, now: datetime | None = None) -> Case:
    """Edit a case's texts (its project and source stay)."""
    errors = _case_errors(data)
    if errors:
        _fail(errors)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _fill_case(case, data)
    case.updated_at = now or timezone.now()
    case.save()
    return case


# --- standard answers ---------------------------------------------------------------------------------------------

@dataclass
class AnswerInput:
    topic: str
    question: str
    answer: str
    keywords: str = ""
    project_id: int | None = None  # None: the writer's project, or the company's answer for a company-wide writer


def _answer_errors(data: AnswerInput) -> dict:
    errors: dict[str, list[str]] = {}
    if not data.topic.strip():
        errors["topic"] = [_("Name the topic, e.g. 门禁卡补办.")]
    if not data.question.strip():
        errors["question"] = [_("Write the question as residents ask it.")]
    if not data.answer.strip():
        errors["answer"] = [_("Write the answer.")]
    _too_long(errors, "topic", data.topic.strip(), TOPIC_MAX)
    _too_long(errors, "question", data.question.strip(), QUESTION_MAX)
    _too_long(errors, "answer", data.answer.strip(), TEXT_MAX)
    _too_long(errors, "keywords", " ".join(data.keywords.split()), TAGS_MAX)
    return errors


def _fill_answer(row: StandardAnswer, data: AnswerInput, actor, now) -> None:
    row.topic, row.question, row.answer = data.topic.strip(), data.question.strip(), data.answer.strip()
    row.keywords = " ".join(dict.fromkeys(data.keywords.replace("，", " ").replace(",", " ").split()))
    row.updated_by, row.updated_at = actor, now
    row.refresh_grams()


def _topic_taken(row: StandardAnswer) -> bool:
    others = StandardAnswer.objects.filter(company_id=row.company_id, project=row.project, topic=row.topic)
    return others.exclude(pk=row.pk).exists()


_TOPIC_TAKEN = _("There is already an answer on this topic here: edit that one.")


@transaction.atomic
def answer_create(*, actor, data: AnswerInput, now: datetime | None = None) -> StandardAnswer:
    now = now or timezone.now()
    errors = _answer_errors(data)
    company_id, project = _place(actor=actor, project_id=data.project_id, errors=errors,
                                 company_wide_label=_("Choose the project the answer is for."))
    if errors:
        _fail(errors)
    row = StandardAnswer(company_id=company_id, project=project, created_at=now)
    _fill_answer(row, data, actor, now)
    if _topic_taken(row):
        _fail({"topic": [_TOPIC_TAKEN]})
    row.save(force_insert=True)
    return row


@transaction.atomic
def answer_update(*, actor, answer: StandardAnswer, data: AnswerInput,
                  now: datetime | None = None) -> StandardAnswer:
    """Edit an answer's texts. A project's staff may not edit the company's answer (they write their project's own,
    which overrides it); that is the caller's check (``may_edit``)."""
    errors = _answer_errors(data)
    if errors:
        _fail(errors)
    row = StandardAnswer.objects.select_for_update().get(pk=answer.pk)
    _fill_answer(row, data, actor, now or timezone.now())
    if _topic_taken(row):
        _fail({"topic": [_TOPIC_TAKEN]})
    row.save()
    return row


def may_edit(user, answer: StandardAnswer) -> bool:
    """A company-wide answer is edited by company-wide staff; a project's by anyone of the scope (the caller checks
    EDIT_ANSWERS)."""
    return answer.project_id is not None or scope_of(user).level in ("company", "all")


# --- answer and close ---------------------------------------------------------------------------------------------

@dataclass
class InquiryInput:
    contact_name: str = ""
    contact_phone: str = ""
    reporter_id: int | None = None
    room_code: str = ""
    location_note: str = ""
    question: str = ""  # what the resident asked; empty: the standard answer's question
    reply: str = ""  # what was answered; empty: the standard answer's text
    channel: str = Channel.PHONE
    project_id: int | None = None  # needed when the answer is the company's and the agent's scope is wider


_FIELD_NAMES = {"description": "question", "room_id": "room_code", "location_note": "room_code"}


def inquiry_answer_close(*, actor, answer: StandardAnswer, data: InquiryInput, idempotency_key: str = "",
                         now: datetime | None = None) -> ServiceRequest:
    """Record an inquiry 咨询 answered with ``answer`` and close it, in one step: ``request_submit`` records it,
    ``request_reply`` gives the answer as the reply — which tells the resident (an SMS to a mobile contact number
    through the outbox, the app's inbox for a resident with a login) and closes the inquiry (no work order). Both
    in one transaction: a reply that fails records nothing. The timeline notes the standard answer used.

    The resident gets one message, the answer: no "recorded" acknowledgement for a question answered in the same
    step. An answer too long for an SMS variable goes out cut, in the wording that points to the request in the app
    (the inbox there has it in full)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    project = None
    if answer.project_id:
        project = answer.project
        if data.project_id and data.project_id != answer.project_id:
            errors["project_id"] = [_("This answer is the project's own; record the inquiry in its project.")]
    else:
        project_id = data.project_id or scope_of(actor).project_id
        if project_id:
            project = Project.objects.restrict(actor).filter(pk=project_id, company_id=answer.company_id).first()
        if project is None:
            errors["project_id"] = [_("Choose the project of the caller.")]
    reply = (data.reply or "").strip() or answer.answer
    question = (data.question or "").strip() or answer.question
    if len(reply) > TEXT_MAX:
        _too_long(errors, "reply", reply, TEXT_MAX)
    if data.channel not in Channel.values:
        errors["channel"] = [_("Choose how the request came in.")]
    room = None
    code = (data.room_code or "").strip()
    if code and project is not None:
        room = Room.objects.filter(project=project, code=code[:50]).first()
        if room is None:
            errors["room_code"] = [_("No room %(code)s in this project.") % {"code": code[:50]}]
    if errors:
        _fail(errors)
    location = (data.location_note or "").strip()
    if room is None and not location:
        location = project.name  # an inquiry on the phone is about the project unless a home is named
    request_data = RequestInput(
        channel=data.channel, kind=Kind.INQUIRY, description=question, contact_name=data.contact_name,
        contact_phone=data.contact_phone, reporter_id=data.reporter_id, room_id=room.pk if room else None,
        location_note=location)
    with transaction.atomic():
        try:
            request = request_submit(actor=actor, project=project, data=request_data,
                                     idempotency_key=idempotency_key, now=now, tell_recorded=False)
        except ApplicationError as error:  # the service desk's field names, as this form and API call them
            if not error.field_errors:
                raise
            _fail({_FIELD_NAMES.get(name, name): messages for name, messages in error.field_errors.items()})
        if not getattr(request, "recorded", False):  # a retry: the first submission already answered it
            return request
        request_comment(request=request, actor=actor,
                        text=_("Answered with the standard answer “%(topic)s”.") % {"topic": answer.topic})
        request = request_reply(request=request, actor=actor, text=reply, now=now,
                                sms=_answer_sms(topic=answer.topic, text=reply, number=request.number))
    return request


def _answer_sms(*, topic: str, text: str, number: str) -> tuple[str, dict]:
    """The SMS that carries an answer: whole, or cut with the pointer to the request in the app."""
    if sms_param_cut(text):
        return "inquiry_answered_in_app", {"topic": topic, "text": text, "number": number}
    return "inquiry_answered", {"topic": topic, "text": text}


# --- the starting library -----------------------------------------------------------------------------------------

@transaction.atomic
def library_load(*, company, now: datetime | None = None) -> tuple[int, int]:
    """Load the starting library (library.py) into ``company`` as its company-wide cases and answers: the handbooks'
    cases and the frequent questions. Rows already there (same title, same topic) are kept as they are, so loading
    twice adds nothing. Returns (cases added, answers added)."""
    from .. import library

    now = now or timezone.now()
    titles = set(Case.objects.filter(company=company).values_list("title", flat=True))
    cases = []
    for title, category, happened, handling, outcome, lessons, tags, source in library.CASES:
        if title in titles:
            continue
        case = Case(company=company, project=None, title=title, category=category, happened=happened,
                    handling=handling, outcome=outcome, lessons=lessons, tags=tags, source_note=source,
                    created_at=now, updated_at=now)
        case.refresh_grams()
        cases.append(case)
    topics = set(StandardAnswer.objects.filter(company=company, project__isnull=True).values_list("topic", flat=True))
    answers = []
    for topic, question, answer, keywords in library.ANSWERS:
        if topic in topics:
            continue
        row = StandardAnswer(company=company, project=None, topic=topic, question=question, answer=answer,
                             keywords=keywords, created_at=now, updated_at=now)
        row.refresh_grams()
        answers.append(row)
    Case.objects.bulk_create(cases)
    StandardAnswer.objects.bulk_create(answers)
    return len(cases), len(answers)
