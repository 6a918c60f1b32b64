"""Masking of personal numbers. Pure functions: no Django."""


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
