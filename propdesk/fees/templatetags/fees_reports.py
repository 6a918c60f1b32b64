"""Filters of the fee report pages: fen as yuan, basis points as a percentage, a rate under its target."""

from django import template

from ..rules.money import fen_to_yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """12345678 → "123,456.78" (from integer fen, never a float)."""
    if fen is None or fen == "":
        return "—"
    value = fen_to_yuan(int(fen))
    sign = "-" if value < 0 else ""
    whole, _dot, part = f"{abs(value):.2f}".partition(".")
    return f"{sign}{int(whole):,}.{part}"


@register.filter
def bp_percent(bp) -> str:
    return "—" if bp is None or bp == "" else f"{int(bp) // 100}.{int(bp) % 100:02d}%"


@register.filter
def below(figures, target_bp) -> bool:
    return figures.below(target_bp)
