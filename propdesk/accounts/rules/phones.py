"""Which numbers the phone sign-in takes: a mainland mobile, written any way people write it."""

from propdesk.customers.rules.phones import InvalidNumber, normalize_phone


def signin_mobile(raw: str) -> str | None:
    """The mobile as the archive stores it (``13812345678``), from ``138 1234 5678``, ``138-1234-5678``,
    ``+86 13812345678`` or full-width digits; None for anything else (a landline, a 400 number, letters)."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        number, kind = normalize_phone(raw)
    except InvalidNumber:
        return None
    return number if kind == "mobile" else None
