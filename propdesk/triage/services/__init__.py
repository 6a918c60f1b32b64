"""Every write of triage: recording what the agent chose against what was suggested."""

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
