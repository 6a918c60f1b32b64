"""Reading the knowledge: cases and standard answers of the user's scope, found by words and by similarity.

Every read goes through ``restrict(user)`` (models.KnowledgeQuerySet): a project's rows and the company's own.
Two selectors are meant for other apps (the intake form, a request's page), with simple signatures:

- ``similar_cases(text, user=…, project=None, limit=5)`` → ``[Similar(obj=Case, score, shared)]``
- ``similar_requests(text, user=…, project=None, limit=5)`` → ``[Similar(obj=ServiceRequest, score, shared)]``

``text`` is whatever the resident said (any length; empty gives nothing); ``shared`` are the words (bigrams) the
match rests on, the rarest first, to show the agent why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains

from propdesk.servicedesk.choices import RequestStatus
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.rules.bigrams import query_tokens
from propdesk.servicedesk.selectors.search import words_q

from ..models import Case, CaseCategory, StandardAnswer
from ..rules import answers as answer_rules
from ..rules import similarity

CASE_POOL = 3000  # the newest cases ranked by similarity: a library, not an archive
REQUEST_POOL = 400  # past requests sharing a word with the text, newest first, ranked in Python
TEXT_MAX = 4000  # longer texts are cut: the start of a message says what it is about
HANDLED = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


@dataclass(frozen=True)
class Similar:
    obj: object  # a Case or a ServiceRequest
    score: float
    shared: tuple[str, ...]


def grams_q(query: str) -> Q | None:
    """Rows whose ``search_grams`` hold every word of ``query`` (rules of servicedesk/rules/bigrams.query_tokens:
    a two-character word is one bigram); None when the query has no word. A LIKE over the padded column: the
    library is small, an index would not pay."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    padded = Concat(Value(" "), F("search_grams"), Value(" "), output_field=TextField())
    q = Q()
    for t in tokens:
        q &= Q(Contains(padded, f" {t.text}" if t.prefix else f" {t.text} "))
    return q


# --- cases ----------------------------------------------------------------------------------------------------------

def case_list(*, user, q: str = "", project_id: int | None = None, category: str = ""):
    rows = Case.objects.restrict(user).select_related("project")
    if project_id:
        rows = rows.filter(Q(project_id=project_id) | Q(project__isnull=True))
    if category in CaseCategory.values:
        rows = rows.filter(category=category)
    if q:
        words = grams_q(q)
        rows = rows.filter(words) if words is not None else rows.none()
    return rows.order_by("-created_at", "-id")


def case_detail(*, user, case_id: int) -> Case:
    """One case in scope (DoesNotExist otherwise)."""
    return (Case.objects.restrict(user)
            .select_related("project", "source_request", "created_by__staff_profile").get(pk=case_id))


def similar_cases(text: str, *, user, project=None, limit: int = 5, exclude_id: int | None = None) -> list[Similar]:
    """The cases of the user's scope most like ``text``, best first (at most ``limit``). With ``project`` (a
    Project or its id), that project's cases and the company's own; another scope's project gives nothing."""
    query = similarity.tokens((text or "")[:TEXT_MAX])
    if not query or limit <= 0:
        return []
    rows = Case.objects.restrict(user)
    if project is not None:
        rows = rows.filter(Q(project_id=getattr(project, "pk", project)) | Q(project__isnull=True))
    if exclude_id:
        rows = rows.exclude(pk=exclude_id)
    pool = rows.order_by("-created_at", "-id").values_list("id", "search_grams")[:CASE_POOL]
    matches = similarity.rank(query, ((pk, similarity.grams_tokens(grams)) for pk, grams in pool), limit=limit)
    found = Case.objects.select_related("project").in_bulk([m.key for m in matches])
    return [Similar(found[m.key], m.score, m.shared) for m in matches if m.key in found]


def similar_requests(text: str, *, user, project=None, limit: int = 5,
                     exclude_id: int | None = None) -> list[Similar]:
    """The handled (resolved or closed) requests of the user's scope most like ``text``, best first. The request
    search (servicedesk/selectors/search.words_q) narrows them to those sharing one of the text's distinctive
    words; the newest ``REQUEST_POOL`` of those are ranked here."""
    query = similarity.tokens((text or "")[:TEXT_MAX])
    if not query or limit <= 0:
        return []
    any_word = Q()
    for token in similarity.prefilter_tokens(query):
        q = words_q(token)
        if q is not None:
            any_word |= q
    if not any_word:
        return []
    rows = ServiceRequest.objects.restrict(user).filter(status__in=HANDLED).filter(any_word)
    if project is not None:
        rows = rows.filter(project_id=getattr(project, "pk", project))
    if exclude_id:
        rows = rows.exclude(pk=exclude_id)
    pool = rows.order_by("-received_at", "-id").values_list("id", "search_grams")[:REQUEST_POOL]
    matches = similarity.rank(query, ((pk, similarity.grams_tokens(grams)) for pk, grams in pool), limit=limit)
    found = ServiceRequest.objects.select_related("project", "room").in_bulk([m.key for m in matches])
    return [Similar(found[m.key], m.score, m.shared) for m in matches if m.key in found]


def handled_request(*, user, request_id: int) -> ServiceRequest:
    """A request of the user's scope to save as a case (DoesNotExist outside it), with what the form prefills."""
    return (ServiceRequest.objects.restrict(user).select_related("project", "room", "common_area")
            .get(pk=request_id))


# --- standard answers ---------------------------------------------------------------------------------------------

def answer_list(*, user, q: str = "", project_id: int | None = None) -> list[StandardAnswer]:
    """The standard answers in force: with ``project_id`` (or for a user of one project) that project's answers and
    the company's on the other topics (rules/answers.effective); for a branch or company reader without a project,
    every answer of the scope. ``q`` keeps the answers holding every word."""
    scope_project = getattr(getattr(user, "staff_profile", None), "project_id", None)
    project_id = project_id or scope_project
    rows = StandardAnswer.objects.restrict(user).select_related("project")
    if project_id:
        rows = rows.filter(Q(project_id=project_id) | Q(project__isnull=True))
    # Which answers are in force is decided before the words: a word that only the company's answer holds must not
    # bring it back where the project has its own.
    in_force = answer_rules.effective(rows.order_by("topic", "project_id", "id"), project_id)
    if q:
        words = grams_q(q)
        hits = set(rows.filter(words).values_list("id", flat=True)) if words is not None else set()
        in_force = [a for a in in_force if a.pk in hits]
    return in_force


def answer_detail(*, user, answer_id: int) -> StandardAnswer:
    return StandardAnswer.objects.restrict(user).select_related("project", "updated_by__staff_profile").get(
        pk=answer_id)
