"""Chinese phone and ID numbers: normalise and validate. Pure functions: no Django."""

import re

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline: area code 0 + 2–3 digits, local number 7–8 digits, optional extension.
LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")
SERVICE = re.compile(r"^(400|800)\d{7}$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


class InvalidNumber(ValueError):
    pass


def normalize_phone(raw: str) -> tuple[str, str]:
    """Return (number, kind) with kind 'mobile' or 'landline', or raise InvalidNumber.

    Accepts spaces, dashes, a +86 / 86 / 0086 prefix on mobiles, and full-width digits.
    Landlines are kept as ``021-12345678``.
    """
    text = (raw or "").strip().translate(_FULLWIDTH)
    text = re.sub(r"[\s()（）]", "", text)
    compact = text.replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if compact.startswith(prefix) and len(compact) == len(prefix) + 11:
            compact = compact[len(prefix):]
            break
    if MOBILE.match(compact):
        return compact, "mobile"
    if SERVICE.match(compact):
        return compact, "landline"
    match = LANDLINE.match(text) if "-" in text else None
    if match is None and compact.startswith("0"):
        # Without a dash the area code is known by its first digits: 010 and 02x have three, the rest four.
        split = 3 if compact.startswith(("010", "02")) else 4
        match = LANDLINE.match(f"{compact[:split]}-{compact[split:]}")
    if match:
        area, local, ext = match.groups()
        if (len(area) == 3) == area.startswith(("010", "02")):
            return f"{area}-{local}" + (f"-{ext}" if ext else ""), "landline"
    raise InvalidNumber(raw)


def phone_digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def last4(number: str) -> str:
    """Last four digits of the number proper (a landline's extension is not part of it)."""
    parts = number.split("-")
    main = parts[1] if len(parts) > 1 else parts[0]
    return phone_digits(main)[-4:]


def validate_id_number(raw: str) -> str:
    """An 18-character resident ID number with a correct check digit; returns it upper-cased."""
    value = (raw or "").strip().upper().translate(_FULLWIDTH)
    if not ID_NUMBER.match(value):
        raise InvalidNumber(raw)
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise InvalidNumber(raw)
    return value


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


_FULLWIDTH = str.maketrans("０１２３４５６７８９＋－ｘＸ", "0123456789+-xX")
