"""The findings of a text as the writer sees them, in the user's language."""

from django.utils.translation import gettext as _

from .models import FindingKind
from .rules import check_text


def findings_out(text: str) -> list[dict]:
    out = []
    for finding in check_text(text):
        kind_label = str(FindingKind(finding.kind).label)
        out.append({**finding.as_dict(), "kind_label": kind_label, "reason": _(finding.reason),
                    "label": _("“%(matched)s” (%(kind)s): say instead “%(suggestion)s”") % {
                        "matched": finding.matched, "kind": kind_label, "suggestion": finding.suggestion}})
    return out
