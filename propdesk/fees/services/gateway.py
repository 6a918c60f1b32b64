"""The payment gateway residents pay through in the app: a small adapter, and the simulated gateway of the demo and
the tests.

An adapter turns an online order into the address where the payer pays (``pay_url``) and checks a callback the
gateway posts back (``verify``): the signature, and the shape of its fields. What the callback means for the money is
services/online.py's. The simulated gateway signs its callbacks as a real one would: HMAC-SHA256 under the shared
secret (settings.FEES_GATEWAY_SECRET) over a canonical string of the fields, in a fixed order::

    out_trade_no=…&gateway_txn=…&amount_fen=…&status=…&timestamp=…&nonce=…

so that a forged or altered callback fails, and the timestamp it signs lets the receiver refuse an old one replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

SIGNED_FIELDS = ("out_trade_no", "gateway_txn", "amount_fen", "status", "timestamp", "nonce")
SUCCESS = "success"  # the payer paid
CLOSED = "closed"  # the payer gave up (or the gateway closed the order unpaid)
STATUSES = (SUCCESS, CLOSED)
BAD_SIGNATURE = "bad signature"  # for the gateway, a program: not translated
LIMITS = {"out_trade_no": 32, "gateway_txn": 64, "nonce": 64, "status": 16}


class BadSignature(ApplicationError):
    """A callback that the gateway did not sign (forged, altered, or signed under another secret)."""


@dataclass(frozen=True)
class Callback:
    out_trade_no: str
    gateway_txn: str
    amount_fen: int
    status: str
    timestamp: int  # seconds since the epoch, as the gateway signed it
    nonce: str


def _secret() -> bytes:
    secret = getattr(settings, "FEES_GATEWAY_SECRET", "")
    if not secret:
        raise ApplicationError(_("Online payment is not set up (no gateway secret)."), status_code=409)
    return secret.encode()


def canonical(fields: dict) -> str:
    return "&".join(f"{name}={fields[name]}" for name in SIGNED_FIELDS)


def sign(fields: dict) -> str:
    return hmac.new(_secret(), canonical(fields).encode(), hashlib.sha256).hexdigest()


def _bad(message) -> BadSignature:
    return BadSignature(message, extra={"fields": {"sign": [str(message)]}})


def parse(payload: dict) -> Callback:
    """The callback's fields, checked for shape only (the signature is :func:`verify`'s)."""
    if not isinstance(payload, dict):
        raise _bad(BAD_SIGNATURE)
    values = {}
    for name in SIGNED_FIELDS:
        value = payload.get(name)
        if value is None or isinstance(value, bool | dict | list):
            raise _bad(BAD_SIGNATURE)
        value = str(value)
        if "\x00" in value or len(value) > LIMITS.get(name, 20):
            raise _bad(BAD_SIGNATURE)
        values[name] = value
    try:
        amount, timestamp = int(values["amount_fen"]), int(values["timestamp"])
    except ValueError:
        raise _bad(BAD_SIGNATURE) from None
    return Callback(values["out_trade_no"], values["gateway_txn"], amount, values["status"], timestamp,
                    values["nonce"])


def verify(payload: dict) -> Callback:
    """The callback, when its signature is the gateway's; else :class:`BadSignature` (400, "bad signature")."""
    callback = parse(payload)
    signature = payload.get("sign")
    fields = {name: str(payload[name]) for name in SIGNED_FIELDS}
    if not isinstance(signature, str) or not hmac.compare_digest(signature.lower().encode(), sign(fields).encode()):
        raise _bad(BAD_SIGNATURE)
    if callback.status not in STATUSES:
        raise ApplicationError(_("Unknown payment status."), extra={"fields": {"status": [_("Unknown status.")]}})
    return callback


class SimulatedGateway:
    """The gateway of the demo and the tests: its cashier page is ours (``fees:gateway``), and confirming there makes
    it post a signed callback to the same service a real gateway's callback reaches."""

    name = "simulated"

    def pay_url(self, order) -> str:
        return reverse("fees:gateway", args=[order.out_trade_no])

    def verify(self, payload: dict) -> Callback:
        return verify(payload)

    def callback_payload(self, order, *, now: datetime, status: str = SUCCESS, amount_fen: int | None = None,
                         gateway_txn: str | None = None, nonce: str | None = None) -> dict:
        """The callback this gateway posts for ``order``: signed, stamped ``now``."""
        fields = {"out_trade_no": order.out_trade_no,
                  "gateway_txn": gateway_txn if gateway_txn is not None else f"SIM{secrets.token_hex(12).upper()}",
                  "amount_fen": order.amount_fen if amount_fen is None else amount_fen, "status": status,
                  "timestamp": int(now.timestamp()), "nonce": nonce or secrets.token_hex(8)}
        return {**fields, "sign": sign({k: str(v) for k, v in fields.items()})}


GATEWAYS = {"simulated": SimulatedGateway}


def gateway():
    """The configured gateway (settings.FEES_GATEWAY)."""
    return GATEWAYS.get(getattr(settings, "FEES_GATEWAY", "simulated"), SimulatedGateway)()
