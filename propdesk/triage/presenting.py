"""The engine's answer as people read it: each field's label with its display name in the user's language, for the
API and for the intake's suggestions panel."""

from propdesk.servicedesk.choices import ComplaintCategory, Emotion, Kind, Severity

from .api.labels import DEPARTMENT_LABELS, URGENCY_LABELS

FIELDS = ("kind", "category", "severity", "urgency", "department", "emotion")
DISPLAY = {"kind": Kind, "category": ComplaintCategory, "severity": Severity, "emotion": Emotion}


def display(field: str, label: str) -> str:
    if field in DISPLAY:
        try:
            return str(DISPLAY[field](label).label)
        except ValueError:
            return label
    if field == "department":
        return str(DEPARTMENT_LABELS.get(label, label))
    if field == "urgency":
        return str(URGENCY_LABELS.get(label, label))
    return label


def as_fields(result: dict) -> dict:
    """``{field: {"label", "display", "confidence", "evidence", "applies"}}`` for the six labelled fields."""
    out = {}
    for field in FIELDS:
        answer = result[field]
        out[field] = {"label": answer["label"], "display": display(field, answer["label"]),
                      "confidence": answer["confidence"], "evidence": answer["evidence"],
                      "applies": answer.get("applies", True)}
    return out
