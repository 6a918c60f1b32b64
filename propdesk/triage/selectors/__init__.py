"""Reads of triage. ``training_examples`` is the training command's read (no user: it runs as the system, over
every project's outcomes, and returns only texts and labels)."""

from ..models import TriageCorrection
from ..services import LABELS


def training_examples() -> list[dict]:
    """The agents' outcomes as labelled examples: the chosen labels over the suggested ones; category and severity
    kept for complaints, urgency for repairs, as in the labelled set."""
    examples = []
    rows = TriageCorrection.objects.order_by("pk").values_list("text", "suggested", "chosen")
    for text, suggested, chosen in rows.iterator():
        labels = {**{f: v for f, v in (suggested or {}).items() if f in LABELS},
                  **{f: v for f, v in (chosen or {}).items() if f in LABELS}}
        if labels.get("kind") != "complaint":
            labels.pop("category", None)
            labels.pop("severity", None)
        if labels.get("kind") != "repair":
            labels.pop("urgency", None)
        examples.append({"text": text, **labels})
    return examples
