"""Writes of the phone sign-in: codes (codes.py), limits per client address (throttle.py), signing in, login
accounts, app tokens and switching homes (signin.py)."""

from .codes import CodeSent, signin_code_send
from .signin import (
    APP_TOKEN_NAME,
    PhoneSignIn,
    app_token_issue,
    app_token_switch,
    home_claim,
    phone_sign_in,
    resident_user_ensure,
)

__all__ = ["APP_TOKEN_NAME", "CodeSent", "PhoneSignIn", "app_token_issue", "app_token_switch", "home_claim",
           "phone_sign_in", "resident_user_ensure", "signin_code_send"]
