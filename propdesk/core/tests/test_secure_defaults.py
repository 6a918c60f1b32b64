"""Secure defaults (issue 10, hole 1): no debug page and no known key outside the local demo; what serve refuses."""

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from config.keys import demo_secret_key
from propdesk import serving
from propdesk.core.checks import secret_key_check

ROOT = Path(__file__).resolve().parents[3]
FIT_KEY = "Zq3-k9vT_xW2pL7mN4bR8sJ1cF6hD0gY5aE3uK9iO2wQ7tX4zV8nM1"


def _production_env(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items()
           if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "PROPDESK_VAR_DIR": str(tmp_path), **extra}


def test_settings_default_to_debug_off_and_no_key(tmp_path):
    """A fresh clone with nothing in the environment: production settings, not a debug server with a public key."""
    code = "from django.conf import settings as s; print(s.DEBUG, repr(s._wrapped.__dict__['SECRET_KEY']))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_production_env(tmp_path),
                            capture_output=True, text=True)
    assert result.stdout.strip() == "False ''", result.stderr
    assert "propdesk-insecure" not in (ROOT / "config" / "settings.py").read_text()


def test_serve_without_a_key_refuses_to_start_and_says_what_to_set(tmp_path):
    result = subprocess.run([sys.executable, "-m", "propdesk.cli", "serve", "--port", "1"], cwd=ROOT,
                            env=_production_env(tmp_path, ALLOWED_HOSTS="propdesk.example.com"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "not starting. SECRET_KEY is not set" in result.stderr and "./dev demo" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS, settings.SECRET_KEY = False, [], FIT_KEY
    with pytest.raises(serving.StartupRefused, match="ALLOWED_HOSTS is empty"):
        serving.check_mode("127.0.0.1")
    settings.ALLOWED_HOSTS = ["propdesk.example.com"]
    serving.check_mode("127.0.0.1")


@pytest.mark.parametrize("key", [
    "propdesk-insecure-development-key-change-me-in-production",
    "django-insecure-" + "q8#x!v2@m4" * 5,
    "short-but-random-Zq3k9vT",
    "a" * 60,
    "",
])
def test_known_weak_and_missing_keys_are_errors_of_the_deploy_check(key):
    with override_settings(SECRET_KEY=key):
        errors = secret_key_check()
        assert [error.id for error in errors] == ["propdesk.E001"]
        with pytest.raises(SystemCheckError, match="propdesk.E001"):
            call_command("check", deploy=True, fail_level="ERROR", tags=["security"])


def test_a_random_key_passes():
    with override_settings(SECRET_KEY=FIT_KEY):
        assert secret_key_check() == []


def test_the_demo_key_is_generated_once_private_and_reused(tmp_path):
    with ThreadPoolExecutor(8) as pool:  # ./dev demo starts the web server and the worker together
        keys = set(pool.map(lambda _: demo_secret_key(tmp_path), range(8)))
    path = tmp_path / "secret_key"
    assert len(keys) == 1 and len(keys.pop()) >= 80
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_secret_key(tmp_path) == path.read_text().strip()
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # nothing left aside


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "propdesk.example.com"])
def test_debug_listens_on_the_loopback_only(settings, host):
    settings.DEBUG = True
    with pytest.raises(serving.StartupRefused, match="DEBUG=1 is for the local demo"):
        serving.check_mode(host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]"])
def test_the_local_demo_starts_on_the_loopback(settings, host):
    settings.DEBUG = True
    serving.check_mode(host)


def test_serve_with_debug_off_refuses_without_collected_static_files(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    with pytest.raises(serving.StartupRefused, match="propdesk collectstatic --noinput"):
        serving.check_static_files()
    # A manifest from an older build that lacks today's files is refused as well.
    (tmp_path / "staticfiles.json").write_text('{"paths": {"propdesk/app.css": "propdesk/app.0123456789ab.css"}, '
                                               '"version": "1.1", "hash": "x"}')
    settings.STORAGES = {**settings.STORAGES}  # the storage reads the manifest again
    with pytest.raises(serving.StartupRefused, match="older than the code"):
        serving.check_static_files()
