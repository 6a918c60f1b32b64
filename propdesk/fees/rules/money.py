"""Money for fees: integer fen (分) inside, ``Decimal`` yuan at the edges, Chinese capitals on paper.

Rules:
- An amount is an ``int`` of fen. Converting yuan → fen refuses a fractional fen (``Decimal("1.005")``) instead of
  rounding it away: money typed or imported must already be whole fen. Where a computation yields a fraction (area ×
  rate, a percentage), the rule that computes it rounds once, ROUND_HALF_UP to the fen, with ``round_half_up``.
- ``parse_amount`` reads what a cashier types ("1,234.5", "¥12.30", "１２．５" full-width) and answers fen or an
  ``AmountError`` with a stable ``code`` the service turns into a field message.
- ``chinese_capitals`` writes 大写金额 as the People's Bank's rules for filling in bills and settlement vouchers
  (《正确填写票据和结算凭证的基本规定》, 支付结算办法 annex) ask: one 零 for a run of zeros inside the number, 零
  between 元 and 分 when there is no 角 (壹元零伍分), 整 when the amount ends at 元 or 角 (the rules allow 整 after
  角; receipts in this company write it), never after 分. The rules' own example writes the leading ten in full
  (¥107,000.53 → 壹拾万柒仟元零伍角叁分) so nobody can add a digit in front; ``short_ten=True`` gives the
  colloquial 拾万… instead.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from propdesk.core.capitals import DIGITS, integer_capitals

FEN_PER_YUAN = 100
# A single amount above 100 million yuan is a typing error, not a property fee.
MAX_FEN = 100_000_000 * FEN_PER_YUAN
CAPITALS_LIMIT = 10**16 * FEN_PER_YUAN  # 万亿 groups: up to 9999 万亿 yuan



class AmountError(ValueError):
    """A user-typed amount that is not money. ``code`` is stable: empty, invalid, negative, too_many_decimals,
    too_large, fractional_fen."""

    def __init__(self, code: str, text: str = ""):
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


def round_half_up(numerator: int, denominator: int = 1) -> int:
    """numerator / denominator rounded half up (away from zero on .5) to an integer, exactly, without floats."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return sign * quotient


def yuan_to_fen(amount: Decimal | int | str) -> int:
    """``Decimal("12.30")`` → 1230. Refuses a fractional fen (``AmountError("fractional_fen")``), NaN and infinity.
    Keeps the sign: adjustments (减免, corrections) are signed ledger entries; ``parse_amount`` is for typed input."""
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation as error:
        raise AmountError("invalid", str(amount)) from error
    if not value.is_finite():
        raise AmountError("invalid", str(amount))
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise AmountError("fractional_fen", str(amount))
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    """1230 → ``Decimal("12.30")`` (always two places)."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("fen must be an int")
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def decimal_to_fen_half_up(value: Decimal) -> int:
    """A computed yuan amount (e.g. area × rate) rounded ROUND_HALF_UP to the fen, for rules that must round once."""
    if not value.is_finite():
        raise AmountError("invalid", str(value))
    return int((value * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ASCII digits only: NFKC turns full-width digits into ASCII, other scripts' digits (٣) are not amounts here.
_AMOUNT = re.compile(r"^(\d*)(?:\.(\d*))?$", re.ASCII)
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$", re.ASCII)


def parse_amount(text: str, *, allow_zero: bool = True, max_fen: int = MAX_FEN) -> int:
    """What a person typed → fen. Accepts "1234.5", "1,234.50", "¥12.30", "￥12.3 元", "RMB 12", ".5", full-width
    digits. Refuses: empty, a sign ("-5", "+5"), more than two decimals, NaN/Infinity/exponents, grouping commas in the
    wrong places ("1,23"), amounts above ``max_fen``; zero only when ``allow_zero``."""
    if text is None:
        raise AmountError("empty", "")
    raw = unicodedata.normalize("NFKC", str(text)).strip()  # full-width digits, ．and ￥ become ASCII/¥
    cleaned = raw.replace(" ", "")
    for prefix in ("RMB", "CNY", "¥"):
        if cleaned.upper().startswith(prefix):
            cleaned = cleaned[len(prefix):]
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1]
    if not cleaned:
        raise AmountError("empty", raw)
    if cleaned[0] in "-−":
        raise AmountError("negative", raw)
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise AmountError("invalid", raw)
        cleaned = cleaned.replace(",", "")
    match = _AMOUNT.match(cleaned)
    whole, decimals = (match.group(1), match.group(2) or "") if match else ("", "")
    if not whole and not decimals:  # no digit at all ("." or garbage)
        raise AmountError("invalid", raw)
    whole = whole or "0"  # ".5" is 0.5
    if len(decimals) > 2:
        raise AmountError("too_many_decimals", raw)
    if len(whole.lstrip("0")) > 15:
        raise AmountError("too_large", raw)
    fen = int(whole) * FEN_PER_YUAN + int(decimals.ljust(2, "0"))
    if fen > max_fen:
        raise AmountError("too_large", raw)
    if fen == 0 and not allow_zero:
        raise AmountError("invalid", raw)
    return fen


def chinese_capitals(fen: int, *, short_ten: bool = False) -> str:
    """1234_50 → 壹仟贰佰叁拾肆元伍角整; 5 → 伍分; 1_000_000 → 壹万元整; 10_001_001 → 壹拾万零壹拾元零壹分;
    0 → 零元整. Refuses negative amounts (a refund is printed as its own positive receipt)."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("fen must be an int")
    if fen < 0:
        raise ValueError("negative amount")
    if fen >= CAPITALS_LIMIT:
        raise ValueError("amount too large")
    if fen == 0:
        return "零元整"
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    text = integer_capitals(yuan, short_ten=short_ten) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan and cents:
        text += "零"
    if cents:
        return text + DIGITS[cents] + "分"
    return text + "整"
