"""Amounts in Chinese capital numerals (大写金额) as receipts require them. Pure Python.

Written the way the People's Bank's settlement rules (支付结算办法) ask: 整 after 元 when there are no fen and jiao,
one 零 for a run of zeros inside the number, 零 between 元 and a lone fen (壹元零伍分), nothing after 分.
"""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")
LIMIT = Decimal("10") ** 16


def _group(number: int) -> str:
    """0 < number < 10000, without leading 零."""
    text, zero = "", False
    for place in (3, 2, 1, 0):
        digit = number // 10**place % 10
        if digit == 0:
            zero = zero or bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + PLACES[place]
    return text


def _integer(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = gap or bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _group(group) + GROUPS[index]
        gap = False
    return text


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
    text = _integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
