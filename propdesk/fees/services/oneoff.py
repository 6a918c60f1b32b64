"""One-off bills (装修垃圾清运费, 门禁卡工本费 …): issued to one home by finance, due on the day they are issued."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..choices import EntryKind, FeeKind
from ..models import Bill, FeeItem, FeeRate
from . import ledger
from .amounts import fen_from_input
from .billing import prepayment_apply, rate_in_force

NOTE_MAX = 100


def one_off_default_fen(item: FeeItem, room, on) -> int | None:
    """The item's listed amount in force on ``on`` for the room's type, in fen (None when it has no price)."""
    rate = rate_in_force(list(FeeRate.objects.filter(item=item).order_by("-effective_from")), room.room_type, on)
    return int(rate.rate_fen) if rate is not None and rate.rate_fen > 0 else None


def bill_issue_one_off(*, room, item: FeeItem, amount, note: str, actor, now: datetime | None = None) -> Bill:
    """Issue a one-off bill of ``item`` to ``room``. ``amount`` is typed yuan; blank takes the item's listed
    amount. Drawn from the home's prepayment like any new bill."""
    now = now or timezone.now()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if item.project_id != room.project_id or item.kind != FeeKind.ONE_OFF or not item.active:
        errors["item"] = [_("Choose a one-off item of this project.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(max)s characters.") % {"max": NOTE_MAX}]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    today = timezone.localdate(now)
    if amount in (None, ""):
        fen = one_off_default_fen(item, room, today)
        if fen is None:
            raise ApplicationError(_("Please correct the marked fields."), {"fields": {"amount": [
                _("This item has no listed amount: enter one.")]}})
    else:
        fen = fen_from_input(amount)
    with transaction.atomic():
        account = ledger.account_lock(room=room)
        number = Bill.objects.filter(room_id=room.pk, item=item, period_key__startswith=today.isoformat()).count()
        bill = Bill.objects.create(
            project_id=room.project_id, room=room, item=item, period_key=f"{today.isoformat()}#{number + 1}",
            period_start=today, period_end=today + timedelta(days=1), due_date=today, amount_fen=fen, open_fen=0,
            description=(note or item.name)[:200], issued_at=now, issued_by=actor)
        ledger.post(account=account, kind=EntryKind.CHARGE, at=now, actor=actor, bill=bill, receivable=fen,
                    note=note)
        ledger.account_refresh(account)
        prepayment_apply(account=account, now=now, actor=actor)
        bill.refresh_from_db()
    return bill
