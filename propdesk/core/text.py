"""Free text PropDesk accepts: no control characters, no text-direction overrides.

A NUL byte cannot be stored by PostgreSQL at all (the request was a 500); other C0 control characters and the
bidirectional overrides (U+202A–U+202E, U+2066–U+2069, which make "gpj.exe" read as "exe.jpg") have no place in a
name, a description or a search, and would reach staff screens, registers and exports unseen. Tab, line feed and
carriage return stay: text areas need them. A lone surrogate (``"\\ud800"`` in JSON) cannot be encoded for the
database either. Input is rejected, not cleaned: what is stored is what was sent.
"""

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def forbidden_in(value, path: str = "") -> list[str]:
    """The dotted paths (``rooms.0.code``) of the strings in a decoded JSON value that hold a forbidden character;
    a key that holds one is reported under its own path."""
    found = []
    if isinstance(value, str):
        if has_forbidden(value):
            found.append(path or "__all__")
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if has_forbidden(str(key)):
                found.append(name)
            else:
                found.extend(forbidden_in(item, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(forbidden_in(item, f"{path}.{index}" if path else str(index)))
    return found


def validate_text(value) -> None:
    """A form field's validator (every forms.CharField has it, see CoreConfig.ready)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if isinstance(value, str) and has_forbidden(value.replace("\x00", "")):  # NUL: Django's own validator
        raise ValidationError(_("Remove the control characters and text-direction marks from this text."),
                              code="forbidden_characters")
