"""POST /api/desk/triage {"text", "channel"}: the engine's reading of one message (issue 16).

Staff who record requests (RECORD_REQUESTS: agents, stewards, PMs …) and residents (the app's report) may call it.
Nothing is stored and no scope's data is read: the answer depends on the text only. Missing or empty text, text over
4,000 characters or an unknown channel answer 400 naming the field; anything else, even emoji or English, answers 200
with low confidences. A resident may call it 30 times a minute (429 with ``retry_after`` beyond that); staff are not
limited (throttle.py).
"""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from propdesk.core.errors import ApplicationError
from propdesk.org.api import require
from propdesk.servicedesk.choices import Channel
from propdesk.staff.permissions import user_role
from propdesk.staff.rules.roles import Capability

from ..presenting import as_fields
from ..rules import triage
from ..rules.text import MAX_CHARS
from .throttle import resident_call_count

router = Router(tags=["desk"])


class TriageIn(Schema):
    text: str | None = Field(None, description="The resident's message, as written or heard (≤ 4,000 characters).")
    channel: str | None = Field(None, description="Where it came from: phone, hotline, walk_in, app, wechat, letter …")


class FieldOut(Schema):
    label: str
    display: str = Field(..., description="The label in the user's language.")
    confidence: float = Field(..., ge=0, le=1)
    evidence: list[str] = Field(..., description="The words of the message that decided it.")
    applies: bool = Field(True, description="Category and severity apply to complaints, urgency to repairs.")


class LocationOut(Schema):
    room_code: str | None = Field(None, description="A room code read from the text: 3-2-1502.")
    building: str | None = None
    common_area: str | None = Field(None, description="A common area the text names: 电梯, 地库 …")
    confidence: float
    evidence: list[str]


class TriageOut(Schema):
    kind: FieldOut
    category: FieldOut
    severity: FieldOut
    urgency: FieldOut
    department: FieldOut
    emotion: FieldOut
    location: LocationOut
    confidence: float = Field(..., description="The lowest of kind, department and emotion: how far to trust it.")


def _check(payload: TriageIn) -> tuple[str, str]:
    errors = {}
    text = payload.text or ""
    if not text.strip():
        errors["text"] = [_("Enter the message.")]
    elif len(text) > MAX_CHARS:
        errors["text"] = [_("The message may be at most %(n)d characters.") % {"n": MAX_CHARS}]
    channel = payload.channel or ""
    if channel and channel not in Channel.values:
        errors["channel"] = [_("Choose one of the listed values.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return text, channel


@router.post("", response=TriageOut,
             summary="Read a message: kind, complaint category and severity, urgency, department, emotion, place "
                     "(residents: 30 a minute)")
def triage_api(request, payload: TriageIn):
    if user_role(request.user) == "resident":
        resident_call_count(request.user)
    else:
        require(request, Capability.RECORD_REQUESTS)
    text, channel = _check(payload)
    result = triage(text, channel)
    out = as_fields(result)
    out["location"] = result["location"]
    out["confidence"] = result["confidence"]
    return out
