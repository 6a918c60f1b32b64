"""Rules of managing a project's staff: pure, no Django."""

import re
import secrets

# The roles a project manager may give; an admin may also make project managers. Wider roles (branch leaders,
# finance, quality, admins) are given in the admin, not on a project's staff page.
PM_GIVABLE = ("agent", "steward", "technician", "dept_staff")
ADMIN_GIVABLE = (*PM_GIVABLE, "project_manager")
# Roles that work in a department: their department must be chosen.
NEEDS_DEPARTMENT = ("technician", "dept_staff")


def givable_roles(actor_role: str | None) -> tuple[str, ...]:
    if actor_role == "admin":
        return ADMIN_GIVABLE
    if actor_role == "project_manager":
        return PM_GIVABLE
    return ()


class InvalidMobile(ValueError):
    pass


_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_mobile(raw: str) -> str:
    """A mainland mobile as 11 digits: spaces and dashes dropped, a +86/0086 prefix removed. '' stays ''."""
    text = re.sub(r"[\s\-()]", "", raw or "")
    if not text:
        return ""
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if not _MOBILE.fullmatch(text):
        raise InvalidMobile(raw)
    return text


_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I: read out on the phone


def temporary_password(length: int = 12) -> str:
    """A password to hand over once, in groups of four: easy to read aloud, hard to guess."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))
