"""API: the case library and standard answers (issue 16).

- GET/POST /api/knowledge/cases, GET /api/knowledge/cases/{id} — VIEW_KNOWLEDGE reads, RECORD_CASES writes (a
  case from a handled request with ``source_request_id``).
- GET /api/knowledge/similar?text=…&project=… — the most similar cases and handled requests of the scope.
- GET/POST /api/knowledge/answers?q=&project= — the answers in force (a project's own overrides the company's);
  EDIT_ANSWERS writes.
- POST /api/knowledge/answers/{id}/close — answer and close: the inquiry recorded, answered and closed in one step
  (RECORD_REQUESTS and REPLY).

Another scope's case or answer is a 404; bad input a 4xx with field-level messages."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors import answer_detail, answer_list, case_detail, case_list, similar_cases, similar_requests
from ..services import AnswerInput, CaseInput, InquiryInput, answer_create, case_create, inquiry_answer_close

router = Router(tags=["knowledge"])
MAX_ROWS = 200
ID = {"ge": 1, "le": 2**62}


def _need(request, capability, message):
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


def _viewer(request):
    _need(request, Capability.VIEW_KNOWLEDGE, _("Your role may not read the case library."))


class KnowledgeCaseOut(Schema):
    id: int
    number: str
    project_id: int | None = Field(..., description="None: a case of the whole company")
    title: str
    category: str = Field(..., description="repair, complaint, inquiry, help, suggestion, praise or practice")
    happened: str
    handling: str
    outcome: str
    lessons: str
    tags: list[str]
    source_request_id: int | None
    source_note: str
    created_at: datetime


def _case_out(c) -> dict:
    return {"id": c.pk, "number": c.number, "project_id": c.project_id, "title": c.title, "category": c.category,
            "happened": c.happened, "handling": c.handling, "outcome": c.outcome, "lessons": c.lessons,
            "tags": c.tag_list, "source_request_id": c.source_request_id, "source_note": c.source_note,
            "created_at": c.created_at}


class CaseListQuery(Schema):
    q: str = Field("", max_length=50, description="Words; every one must occur (a two-character word is enough).")
    project: int | None = Field(None, **ID)
    category: str = Field("", max_length=16)
    limit: int = Field(50, ge=1, le=MAX_ROWS)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("cases", response=list[KnowledgeCaseOut],
            summary="Cases of the scope, newest first, by words (VIEW_KNOWLEDGE)")
def cases_list(request, query: Query[CaseListQuery]):
    _viewer(request)
    rows = case_list(user=request.user, q=query.q.strip(), project_id=query.project, category=query.category)
    return [_case_out(c) for c in rows[query.offset:query.offset + query.limit]]


class CaseIn(Schema):
    title: str = Field(..., max_length=200)
    category: str = Field(..., max_length=16)
    happened: str = Field(..., max_length=8000)
    handling: str = Field("", max_length=8000)
    outcome: str = Field("", max_length=8000)
    lessons: str = Field("", max_length=8000)
    tags: str = Field("", max_length=400, description="Words separated by spaces.")
    project_id: int | None = Field(None, **ID, description="Empty: the request's project, else the writer's.")
    source_request_id: int | None = Field(None, **ID, description="A handled (resolved or closed) request.")


@router.post("cases", response={201: KnowledgeCaseOut},
             summary="Save a case, or a handled request as a case (RECORD_CASES)")
def cases_create(request, payload: CaseIn):
    _need(request, Capability.RECORD_CASES, _("Your role may not write cases."))
    case = case_create(actor=request.user, now=timezone.now(), data=CaseInput(**payload.dict()))
    return Status(201, _case_out(case))


@router.get("cases/{int:case_id}", response=KnowledgeCaseOut, summary="One case (VIEW_KNOWLEDGE)")
def cases_detail(request, case_id: int):
    _viewer(request)
    with scoped_404():
        return _case_out(case_detail(user=request.user, case_id=case_id))


class SimilarQuery(Schema):
    text: str = Field("", max_length=4000, description="What the resident said, as typed.")
    project: int | None = Field(None, **ID)
    limit: int = Field(5, ge=1, le=20)


class SimilarCaseOut(Schema):
    id: int
    title: str
    category: str
    project_id: int | None
    score: float
    shared: list[str] = Field(..., description="The words (bigrams) the match rests on, the rarest first.")


class SimilarRequestOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    description: str
    reply: str
    received_at: datetime
    score: float
    shared: list[str]


class SimilarOut(Schema):
    cases: list[SimilarCaseOut]
    requests: list[SimilarRequestOut]


@router.get("similar", response=SimilarOut,
            summary="The cases and handled requests most like a text (VIEW_KNOWLEDGE)")
def similar(request, query: Query[SimilarQuery]):
    _viewer(request)
    user, text = request.user, query.text
    cases = similar_cases(text, user=user, project=query.project, limit=query.limit)
    requests = similar_requests(text, user=user, project=query.project, limit=query.limit)
    return {"cases": [{"id": s.obj.pk, "title": s.obj.title, "category": s.obj.category,
                       "project_id": s.obj.project_id, "score": s.score, "shared": list(s.shared)} for s in cases],
            "requests": [{"id": s.obj.pk, "number": s.obj.number, "kind": s.obj.kind, "status": s.obj.status,
                          "description": s.obj.description, "reply": s.obj.reply, "received_at": s.obj.received_at,
                          "score": s.score, "shared": list(s.shared)} for s in requests]}


class AnswerOut(Schema):
    id: int
    project_id: int | None = Field(..., description="None: the company's answer")
    topic: str
    question: str
    answer: str
    keywords: list[str]
    updated_at: datetime


def _answer_out(a) -> dict:
    return {"id": a.pk, "project_id": a.project_id, "topic": a.topic, "question": a.question, "answer": a.answer,
            "keywords": a.keywords.split(), "updated_at": a.updated_at}


class AnswerListQuery(Schema):
    q: str = Field("", max_length=50)
    project: int | None = Field(None, **ID, description="The answers in force in this project.")


@router.get("answers", response=list[AnswerOut],
            summary="Standard answers in force, by words; a project's own overrides the company's (VIEW_KNOWLEDGE)")
def answers_list(request, query: Query[AnswerListQuery]):
    _viewer(request)
    return [_answer_out(a) for a in answer_list(user=request.user, q=query.q.strip(), project_id=query.project)]


class AnswerIn(Schema):
    topic: str = Field(..., max_length=80)
    question: str = Field(..., max_length=600)
    answer: str = Field(..., max_length=8000)
    keywords: str = Field("", max_length=400)
    project_id: int | None = Field(None, **ID, description="Empty: the writer's project, or the company's answer.")


@router.post("answers", response={201: AnswerOut}, summary="Write a standard answer (EDIT_ANSWERS)")
def answers_create(request, payload: AnswerIn):
    _need(request, Capability.EDIT_ANSWERS, _("Your role may not write standard answers."))
    row = answer_create(actor=request.user, now=timezone.now(), data=AnswerInput(**payload.dict()))
    return Status(201, _answer_out(row))


class AnswerCloseIn(Schema):
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=40)
    reporter_id: int | None = Field(None, **ID)
    room_code: str = Field("", max_length=50)
    location_note: str = Field("", max_length=400)
    question: str = Field("", max_length=4000, description="Empty: the standard answer's question.")
    reply: str = Field("", max_length=8000, description="Empty: the standard answer's text.")
    channel: str = Field("phone", max_length=16)
    project_id: int | None = Field(None, **ID, description="For a company answer: the caller's project.")


class AnswerCloseOut(Schema):
    request_id: int
    number: str
    status: str
    reply: str


@router.post("answers/{int:answer_id}/close", response={201: AnswerCloseOut},
             summary="Answer and close: record the inquiry answered and closed in one step (RECORD_REQUESTS, REPLY)")
def answers_close(request, answer_id: int, payload: AnswerCloseIn):
    _need(request, Capability.RECORD_REQUESTS, _("Your role may not record requests."))
    _need(request, Capability.REPLY, _("Your role may not answer residents."))
    with scoped_404():
        answer = answer_detail(user=request.user, answer_id=answer_id)
    key = (request.headers.get("Idempotency-Key") or "")[:100]
    sr = inquiry_answer_close(actor=request.user, answer=answer, data=InquiryInput(**payload.dict()),
                              idempotency_key=key, now=timezone.now())
    return Status(201, {"request_id": sr.pk, "number": sr.number, "status": sr.status, "reply": sr.reply})
