"""Fees in templates: ``fen|yuan`` (1230 → 12.30), ``fen|capitals`` (大写金额), and the fees panel of the customer
360 page (``{% fees_panel resident %}``): customers does not import fees, its template loads this library."""

from django import template

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..rules.money import chinese_capitals, fen_to_yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Fen as yuan with two decimals, never through a float; empty for None."""
    if fen is None or fen == "":
        return ""
    return f"{fen_to_yuan(int(fen)):,}"


@register.filter
def capitals(fen) -> str:
    return chinese_capitals(int(fen or 0))


@register.inclusion_tag("fees/desk/_resident_panel.html", takes_context=True)
def fees_panel(context, resident):
    """Per current home of ``resident``: owed, prepaid, oldest due, and a link to its account (one query)."""
    from propdesk.customers.models import Occupancy

    from ..models import Account

    user = context["request"].user
    if not user_can(user, Capability.VIEW_ACCOUNTS):
        return {"shown": False}
    homes = []
    for occupancy in (Occupancy.objects.restrict(user).current().filter(resident=resident)
                      .select_related("room", "room__fee_account").order_by("room__code")):
        try:
            account = occupancy.room.fee_account
        except Account.DoesNotExist:  # no bill yet
            account = None
        homes.append({"room": occupancy.room, "relation": occupancy.get_relation_display(),
                      "owed_fen": account.owed_fen if account else 0,
                      "prepaid_fen": account.prepaid_fen if account else 0,
                      "oldest_due": account.oldest_due if account else None})
    return {"shown": True, "homes": homes}
