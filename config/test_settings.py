"""The test suite's settings: the local demo's (DEBUG=1 when the settings are read, as `./dev demo`: plain http,
static files from the apps' folders) with a random key per test process, so that tests need nothing in the
environment and production's defaults (config/settings.py) stay strict. pyproject.toml points pytest here."""

import os
import secrets

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))

from config.settings import *  # noqa: E402, F403
