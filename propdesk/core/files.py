"""Uploaded files: the name a client sent, made fit to show."""

import os
import unicodedata

ORIGINAL_NAME_LENGTH = 200


def clean_original_name(name: str) -> str:
    """The client's file name as it may be shown: no folders, no control or direction-override characters, at most
    ORIGINAL_NAME_LENGTH characters. Never used to name a stored file."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name.strip()[:ORIGINAL_NAME_LENGTH]
