"""The stored form of a phone and of a client address: an HMAC keyed with SECRET_KEY, so that a copy of the tables
gives neither back (a phone's 10^9 values could be tried one by one against a plain hash)."""

from django.utils.crypto import salted_hmac


def phone_key(number: str) -> str:
    """``number`` as normalised by rules.phones.signin_mobile."""
    return salted_hmac("propdesk.accounts.phone", number, algorithm="sha256").hexdigest()


def address_key(ip: str | None) -> str:
    return salted_hmac("propdesk.accounts.address", ip or "-", algorithm="sha256").hexdigest()[:64]
