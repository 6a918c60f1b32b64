"""Money on finance's pages: fen shown as yuan with two decimals, prices in fen as yuan (up to four decimals)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """35980 → "359.80"; thousands grouped (1,234,567.00)."""
    if fen in (None, ""):
        return ""
    value = (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))
    return f"{value:,.2f}"


@register.filter
def price_yuan(fen) -> str:
    """A price in fen (Decimal, maybe with fractions of a fen) → yuan: 280 → "2.80", 61.7 → "0.617"."""
    if fen in (None, ""):
        return ""
    value = Decimal(str(fen)) / 100
    text = format(value.quantize(Decimal("0.000001")).normalize(), "f")
    whole, _dot, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
