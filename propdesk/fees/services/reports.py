"""Writes of the reports: a project's yearly collection target, and the cashier's confirmation of a day (日结)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..models import CollectionTarget, DailyClosing
from ..selectors.closing import closing_days
from .amounts import fen_from_input

YEARS = (2000, 2100)


def _field(name: str, message: str, status: int = 400) -> ApplicationError:
    return ApplicationError(message, extra={"fields": {name: [message]}}, status_code=status)


def percent_to_bp(value) -> int:
    """"95", "95.5", "95.25" (%) → basis points; refuses more than two decimals and anything outside 0–100."""
    message = _("Enter a rate between 0 and 100 (%), with at most two decimals.")
    try:
        number = Decimal(str(value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError):
        raise _field("rate", message) from None
    if not number.is_finite() or number < 0 or number > 100 or (number * 100) != (number * 100).to_integral_value():
        raise _field("rate", message)
    return int(number * 100)


def target_set(*, project, year: int, rate, actor, now: datetime | None = None) -> CollectionTarget:
    """Set (or change) the collection rate ``project`` aims at in ``year``; ``rate`` in percent."""
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise _field("year", _("Choose a year between %(low)s and %(high)s.") % {"low": YEARS[0], "high": YEARS[1]})
    rate_bp = percent_to_bp(rate)
    now = now or timezone.now()
    with transaction.atomic():
        target, _created = CollectionTarget.objects.select_for_update().update_or_create(
            project=project, year=year, defaults={"rate_bp": rate_bp, "updated_by": actor, "updated_at": now})
    return target


def closing_confirm(*, cashier, project, day: date, counted_cash, note: str = "",
                    now: datetime | None = None) -> DailyClosing:
    """The cashier confirms their day in ``project``: the figures are read again from the ledger now, the counted
    cash is compared with the cash taken, and a difference must be explained in ``note``. Once per day."""
    now = now or timezone.now()
    if day > timezone.localdate(now):
        raise _field("day", _("A day that has not begun cannot be closed."))
    counted = fen_from_input(counted_cash, field="counted_cash", allow_zero=True)
    note = (note or "").strip()[:200]
    with transaction.atomic():
        if DailyClosing.objects.filter(cashier=cashier, day=day, project=project).exists():
            raise ApplicationError(_("This day is already closed."), status_code=409)
        found = closing_days(user=cashier, cashier_id=cashier.pk, day=day, project_id=project.pk)
        totals = found[0].totals() if found else {"methods": {}, "total_fen": 0, "cash_fen": 0, "first_receipt": "",
                                                  "last_receipt": "", "receipts": 0, "voided": []}
        difference = counted - totals["cash_fen"]
        if difference and not note:
            raise _field("note", _("The counted cash differs from the cash taken by %(yuan)s yuan: say why.")
                         % {"yuan": f"{difference / 100:+.2f}"})
        try:
            with transaction.atomic():
                return DailyClosing.objects.create(project=project, cashier=cashier, day=day, totals=totals,
                                                   counted_cash_fen=counted, difference_fen=difference, note=note,
                                                   closed_at=now)
        except IntegrityError:  # confirmed at the same moment from a second tab
            raise ApplicationError(_("This day is already closed."), status_code=409) from None
