"""POST /api/portal/requests: a resident reports from the app, multipart (the fields and up to six photos).

The same intake as the report page (portal/services/report.py). With an ``Idempotency-Key`` header a retried
submission creates nothing, as in the desk API: the first call answers 201, a retry with the same fields and photos
200 with the same request, the same key with a different submission 422. The report page's offline draft is sent
through here under the key made when the draft was started, so a phone retrying never reports twice."""

import hashlib
import json
from datetime import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Schema, Status, UploadedFile

from propdesk.core.errors import ApplicationError
from propdesk.servicedesk.api.schemas import AwareDateTime
from propdesk.servicedesk.rules.intake import TEXT_LIMITS

from .. import selectors
from ..services.report import ReportInput, request_report
from . import RequestCardOut, _card, _resident, router


class ReportIn(Schema):
    kind: str = Field(..., description="repair, complaint, inquiry, help, suggestion or praise")
    description: str = Field("", max_length=TEXT_LIMITS["description"], description="What happened (required)")
    home_id: int | None = Field(None, description="One of the resident's current homes (an occupancy id, as "
                                                  "/api/portal/me names it); default: the home they chose")
    common_area_id: int | None = Field(None, description="A common area of the home's project; empty: the home")
    visit_at: AwareDateTime | None = Field(None, description="Repairs: the start of an offered visit window")
    urgent: bool = Field(False, description="Repairs: the resident says it is urgent")
    complaint_category: str = Field("", description="Complaints: what it is about (default: other)")


class ReportOut(RequestCardOut):
    url: str = Field(..., description="The request's page in the resident app")


def _fingerprint(payload: ReportIn, home_id: int, photos) -> str:
    """A digest of the submission: the fields as parsed, the home, and each photo's bytes in order. A retry of a
    draft sends the same shrunk photos, so it is the same submission."""
    digests = []
    for photo in photos:
        photo.seek(0)
        digests.append(hashlib.sha256(photo.read()).hexdigest())
        photo.seek(0)
    body = {**payload.model_dump(mode="json"), "home_id": home_id, "photos": digests}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def resolve_home(request, resident, home_id):
    """The home the resident reports for: the one named (a 404 unless it is one of theirs today), else the one
    chosen in the session, else their first."""
    on = timezone.localdate()
    if home_id is not None:
        home = next((h for h in selectors.resident_homes(resident=resident, on=on) if h.pk == home_id), None)
        if home is None:
            raise Http404("not one of the resident's homes")
        return home
    home = selectors.current_home(resident=resident, on=on,
                                  chosen_id=request.session.get(selectors.CURRENT_HOME_SESSION_KEY))
    if home is None:
        message = _("No home is linked to your account yet. Please ask the service center.")
        raise ApplicationError(message, {"fields": {"home_id": [message]}}, status_code=422)
    return home


@router.post("/requests", response={200: ReportOut, 201: ReportOut},
             summary="Report from the app: the home or a common area, what happened, photos, a visit time",
             description="Multipart form. With an `Idempotency-Key` header a retried submission creates nothing: "
                         "the first call answers 201, a retry with the same fields and photos 200 with the same "
                         "request; the same key with a different submission answers 422 and records nothing.")
def request_report_api(request, payload: Form[ReportIn], photos: File[list[UploadedFile]] = None,
                       idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100)):
    resident = _resident(request)
    photos = list(photos or [])
    home = resolve_home(request, resident, payload.home_id)
    now: datetime = timezone.now()
    sr, created = request_report(
        user=request.user, resident=resident, home=home, photos=photos, now=now,
        idempotency_key=idempotency_key.strip(), fingerprint=_fingerprint(payload, home.pk, photos),
        data=ReportInput(kind=payload.kind, description=payload.description,
                         common_area_id=payload.common_area_id, visit_at=payload.visit_at, urgent=payload.urgent,
                         complaint_category=payload.complaint_category))
    item = selectors.resident_request(user=request.user, request_id=sr.pk)
    return Status(201 if created else 200, {**_card(item), "url": reverse("portal:request_detail",
                                                                           args=[sr.pk])})
