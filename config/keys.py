"""The secret key: read from the environment in production, generated once for the local demo, never a constant.

Everything that signs (sessions, CSRF, password-reset and rating links) is as secret as this key. A key that sits in
the code or the documentation is public, so production refuses to start with one (``propdesk.E001``).
"""

import os
import secrets
from pathlib import Path

# Keys that have been published: the development default that shipped in config/settings.py until issue 10, and the
# placeholders of the documentation. Anyone can sign with these.
KNOWN_KEYS = frozenset({
    "propdesk-insecure-development-key-change-me-in-production",
    "change-me",
    "changeme",
    "secret",
    "…",
})
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def weak_key_reason(key: str) -> str | None:
    """Why ``key`` must not sign anything in production, or None when it is fit. Django's own thresholds
    (security.W009): at least 50 characters, at least 5 different ones, not one of Django's generated dev keys."""
    if not key:
        return "SECRET_KEY is not set"
    if key in KNOWN_KEYS:
        return "SECRET_KEY is a published development/placeholder key"
    if key.startswith("django-insecure"):
        return "SECRET_KEY is a Django development key (it starts with 'django-insecure')"
    if len(key) < MIN_LENGTH:
        return f"SECRET_KEY is too short ({len(key)} characters; at least {MIN_LENGTH})"
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"SECRET_KEY has fewer than {MIN_UNIQUE_CHARACTERS} different characters"
    return None


def demo_secret_key(var_dir: Path) -> str:
    """The local demo's key: ``var/secret_key`` (mode 0600), created with a random key on first use and reused, so
    sessions and links survive a restart. Two processes starting together (./dev demo's web server and worker) agree:
    the file appears complete or not at all (written aside, then hard-linked into place)."""
    path = Path(var_dir) / "secret_key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64) + "\n")
        try:
            os.link(aside, path)
        except FileExistsError:  # another process was first: use its key
            pass
    finally:
        aside.unlink(missing_ok=True)
    return path.read_text().strip()
