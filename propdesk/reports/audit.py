"""Every export is logged: who took which report, with which filters, how many rows, and whether it held personal
data (DESIGN §4: reveals and exports are logged)."""

from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.views_utils import client_ip


def export_logged(*, request, report: str, label: str, filters: dict, rows: int, personal: bool) -> AuditLog:
    """One audit row for one export. ``report``: a stable name ("register:requests", "complaint_summary");
    ``label``: what a person reads in the audit list; ``filters``: the GET parameters used."""
    return AuditLog.objects.create(
        actor=request.user, action=AuditAction.EXPORT, target_type=f"report:{report}"[:64], target_id="",
        target_label=label[:200], ip=client_ip(request),
        detail={"filters": {key: str(value) for key, value in filters.items()}, "rows": rows, "personal": personal})
