"""API of the service-language check: ``POST /api/wording/check`` (any staff member, before sending) and
``GET /api/wording/report`` (VIEW_REPORTS: the quality department, leaders and project managers, in their scope)."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from .presenting import findings_out
from .selectors import wording_report

router = Router(tags=["wording"])
MAX_TEXT = 10_000  # a reply or a notice is far shorter; a longer text is refused on its field


class WordingCheckIn(Schema):
    text: str | None = Field("", description="The text about to be sent (a reply, a comment, a notice, an SMS).")


class WordingFindingOut(Schema):
    phrase: str = Field(..., description="The phrase as the handbook names it (不知道)")
    matched: str = Field(..., description="The characters as written")
    start: int = Field(..., description="Offset of the first character in the text")
    end: int = Field(..., description="Offset after the last character")
    kind: str = Field(..., description="forbidden, cold or blaming")
    kind_label: str
    reason: str = Field(..., description="Why, from the handbook, in the user's language")
    suggestion: str = Field(..., description="A phrasing to use instead")
    label: str = Field(..., description="One sentence for the writer: the words found and the suggestion")


class WordingCheckOut(Schema):
    clean: bool
    title: str = Field(..., description="A heading for the hint under the field, in the user's language")
    findings: list[WordingFindingOut]


@router.post("check", response=WordingCheckOut, url_name="wording_check",
             summary="Check a text against the forbidden and cold phrases before sending it (staff)")
def wording_check(request, payload: WordingCheckIn):
    if user_role(request.user) in (None, "resident"):
        raise PermissionDenied(_("Only staff members check their wording."))
    text = payload.text or ""
    if len(text) > MAX_TEXT:
        message = _("The text is too long to check: at most %(n)s characters.") % {"n": MAX_TEXT}
        raise ApplicationError(message, {"fields": {"text": [message]}})
    findings = findings_out(text)
    return {"clean": not findings, "findings": findings,
            "title": _("Service language: consider rephrasing") if findings else _("No forbidden phrases found.")}


class WordingReportQuery(Schema):
    project: int | None = Field(None, ge=1, le=2**62, description="One project of your scope; empty: all")
    months: int = Field(6, ge=1, le=24)


class WordingReportRowOut(Schema):
    month: date
    user_id: int
    person: str
    counts: dict[str, int]
    total: int


class WordingPhraseTotalOut(Schema):
    phrase: str
    kind: str
    total: int


class WordingReportOut(Schema):
    start: date
    rows: list[WordingReportRowOut]
    phrases: list[WordingPhraseTotalOut]
    total: int


@router.get("report", response=WordingReportOut, url_name="wording_report",
            summary="Forbidden and cold phrases in sent texts per person, phrase and month (VIEW_REPORTS)")
def wording_report_api(request, query: Query[WordingReportQuery]):
    if not user_can(request.user, Capability.VIEW_REPORTS):
        raise PermissionDenied(_("Your role may not see this report."))
    report = wording_report(user=request.user, today=timezone.localdate(), project_id=query.project,
                            months=query.months)
    return {"start": report["start"], "total": report["total"], "phrases": report["phrases"],
            "rows": [{k: row[k] for k in ("month", "user_id", "person", "counts", "total")}
                     for row in report["rows"]]}
