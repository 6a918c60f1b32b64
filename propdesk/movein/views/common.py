from django.utils.translation import gettext_lazy

from propdesk.core.views_utils import capability_required
from propdesk.staff.rules.roles import Capability

viewer_required = capability_required(Capability.VIEW_HANDOVERS)
handover_required = capability_required(Capability.HANDOVER)
slots_required = capability_required(Capability.MANAGE_HANDOVER_SLOTS)
PAGE_SIZE = 50
NOT_A_NUMBER = gettext_lazy("Enter a number.")


def int_or_none(value) -> int | None:
    text = (str(value) if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None
