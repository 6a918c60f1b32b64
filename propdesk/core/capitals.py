"""Whole numbers in Chinese capital numerals (大写), the part shared by every amount in words: one 零 for a run of
zeros inside the number, the 万/亿 groups. Pure Python. The receipts' rules for 元, 角, 分 and 整 live with each
receipt (servicedesk/rules/money.py for paid repairs, fees/rules/money.py for fees)."""

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def _group(number: int, *, short_ten: bool) -> str:
    """0 < number < 10000 → capitals without a leading 零; inner runs of zeros give one 零."""
    text, zero = "", False
    for place in (3, 2, 1, 0):
        digit = number // 10**place % 10
        if digit == 0:
            zero = zero or bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        if short_ten and not text and place == 1 and digit == 1:
            text += PLACES[1]
        else:
            text += DIGITS[digit] + PLACES[place]
    return text


def integer_capitals(number: int, *, short_ten: bool = False) -> str:
    """A positive whole number in capitals: 1005 → 壹仟零伍, 100010 → 壹拾万零壹拾 (``short_ten``: 拾万零壹拾)."""
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
        text += _group(group, short_ten=short_ten and not text) + GROUPS[index]
        gap = False
    return text
