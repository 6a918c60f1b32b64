"""What a person typed as an amount → fen, with the message to show next to the field."""

from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..rules.money import AmountError, parse_amount


def amount_messages() -> dict[str, str]:
    return {
        "empty": _("Enter an amount."),
        "negative": _("The amount cannot be negative."),
        "too_many_decimals": _("An amount has at most two decimals (fen)."),
        "too_large": _("The amount is too large."),
        "invalid": _("Enter an amount in yuan, such as 359.80."),
    }


def fen_from_input(value, *, field: str = "amount", allow_zero: bool = False) -> int:
    """Fen from a form or API value (text, Decimal or int yuan). Raises ApplicationError on the field."""
    try:
        return parse_amount("" if value is None else str(value), allow_zero=allow_zero)
    except AmountError as error:
        message = amount_messages().get(error.code, amount_messages()["invalid"])
        raise ApplicationError(message, extra={"fields": {field: [message]}}) from None
