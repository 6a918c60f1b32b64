"""Masking of personal numbers. Pure functions: no Django."""

import re


def mask_phone(number: str) -> str:
    """138****5678 for a mobile; keep area code and last 4 of a landline: 021-****5678."""
    if not number:
        return ""
    digits = number.replace("-", "").replace(" ", "")
    if "-" in number:
        area, _, local = number.partition("-")
        return f"{area}-{'*' * max(len(local) - 4, 0)}{local[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(number: str) -> str:
    """110101********1234: region code kept, birth date and sequence hidden."""
    if not number:
        return ""
    if len(number) <= 10:
        return number[:2] + "*" * (len(number) - 2)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


_MOBILE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
# Six digits standing alone: not part of a longer number, an amount (123456.00) or a request number (CH-261130-014).
_CODE = re.compile(r"(?<![0-9A-Za-z\-])(?<!\d\.)\d{6}(?![0-9A-Za-z\-]|\.\d)")
_LINK_TOKEN = re.compile(r"(/rate/)[A-Za-z0-9_\-]{16,}")


def redact_message(text: str) -> str:
    """A message fit for a log: mobile numbers masked, one-time codes (six digits standing alone) and link tokens
    replaced. Used where a message's text is logged instead of sent."""
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text or "")
    text = _CODE.sub("******", text)
    return _LINK_TOKEN.sub(r"\1…", text)
