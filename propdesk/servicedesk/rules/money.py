"""Amounts in Chinese capital numerals (大写金额) as receipts require them. Pure Python.

Written the way the People's Bank's settlement rules (支付结算办法) ask: 整 after 元 when there are no fen and jiao,
one 零 for a run of zeros inside the number, 零 between 元 and a lone fen (壹元零伍分), nothing after 分.
"""

from decimal import ROUND_HALF_UP, Decimal

from propdesk.core.capitals import DIGITS, integer_capitals

LIMIT = Decimal("10") ** 16


def amount_in_words(amount: Decimal | int | str) -> str:
    """``Decimal("120")`` → 壹佰贰拾元整, ``Decimal("1005.30")`` → 壹仟零伍元叁角, ``Decimal("0.05")`` → 伍分."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        return "负" + amount_in_words(-value)
    if value >= LIMIT:
        raise ValueError("amount too large")
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = integer_capitals(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
