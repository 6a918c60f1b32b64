"""Every write of triage: recording what the agent chose against what was suggested."""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.servicedesk.choices import Channel, ComplaintCategory, Emotion, Kind, Severity

from ..models import TriageCorrection
from ..rules.text import MAX_CHARS

LABELS = {
    "kind": set(Kind.values),
    "category": set(ComplaintCategory.values),
    "severity": set(Severity.values),
    "urgency": {"urgent", "normal"},
    "department": {"engineering", "security", "cleaning", "landscaping", "customer_service", "finance",
                   "management"},
    "emotion": set(Emotion.values),
}


def labels_of(result: dict) -> dict:
    """The labels of an engine result (or of a dict already of labels), only the known fields."""
    out = {}
    for field in LABELS:
        value = result.get(field)
        if isinstance(value, dict):
            value = value.get("label")
        if value:
            out[field] = value
    return out


def triage_record_outcome(*, user, text: str, suggested: dict, chosen: dict, now, channel: str = "",
                          request=None) -> TriageCorrection:
    """Record what triage suggested for ``text`` and what the agent chose (the intake calls this when it saves a
    request). ``suggested`` is the engine's answer or its labels; ``chosen`` the labels the agent recorded (a field
    left out is taken as not decided). Never refuses a request's recording: the intake catches ApplicationError."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Enter the message.")]
    elif len(text) > MAX_CHARS:
        errors["text"] = [_("The message may be at most %(n)d characters.") % {"n": MAX_CHARS}]
    chosen_labels = labels_of(chosen or {})
    for field, value in chosen_labels.items():
        if value not in LABELS[field]:
            errors[field] = [_("Choose one of the listed values.")]
    if channel and channel not in Channel.values:
        errors["channel"] = [_("Choose one of the listed values.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    suggested_labels = labels_of(suggested or {})
    changed = sorted(f for f, v in chosen_labels.items() if suggested_labels.get(f) != v)
    with transaction.atomic():
        return TriageCorrection.objects.create(
            request=request, user=user, text=text, channel=channel or "", suggested=suggested_labels,
            chosen=chosen_labels, changed=changed, created_at=now)


def triage_from_intake(*, request, actor, text: str, suggested: str, chosen: dict, now, channel: str = "") -> None:
    """The service desk's intake hook: keep what the suggestions panel showed (``suggested``, the JSON the form
    posted back) against what the agent recorded. A panel answer that is not a small object of known labels, or a
    chosen value triage has no label for (a developer's after-sales department), is left out; this never makes the
    recording of the request fail."""
    try:
        shown = json.loads(suggested)
    except ValueError:
        return
    if not isinstance(shown, dict):
        return
    shown = {f: v for f, v in shown.items() if f in LABELS and isinstance(v, str) and v in LABELS[f]}
    kept = {f: v for f, v in (chosen or {}).items() if f in LABELS and v in LABELS[f]}
    if not shown:
        return
    try:
        triage_record_outcome(user=actor, text=text, suggested=shown, chosen=kept, now=now, channel=channel,
                              request=request)
    except ApplicationError:
        return
