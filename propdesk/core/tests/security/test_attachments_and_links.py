"""Photos and rating links from the outside, beyond the registry's pass (which requests each route with another
scope's ids): the photo file itself, and rating links an outsider can make.

Both were holes of issue 10 (photos served raw from /media/ to anyone; links signed with a key published in the code).
"""

import importlib.util
import secrets

import pytest
from django.core import signing
from django.test import override_settings

from propdesk.followups.models import FollowUpVisit
from propdesk.servicedesk.models import Attachment

from .check import content_of, leaked
from .world import OLD_RATING_SALT, ROLES

PUBLISHED_KEY = "propdesk-insecure-development-key-change-me-in-production"  # config/settings.py before issue 10


@pytest.fixture
def debug_urls(security_world):
    """config/urls.py as a DEBUG server loads it (the tests run with DEBUG off), serving the world's files."""
    spec = importlib.util.find_spec("config.urls")
    module = importlib.util.module_from_spec(spec)
    with override_settings(DEBUG=True):
        spec.loader.exec_module(module)
    with override_settings(ROOT_URLCONF=module):
        yield


def _photo_urls(attachment) -> list[str]:
    """Every address a photo could be fetched at: the scoped page and API routes, and the raw storage path that
    /media/ served before issue 10."""
    return [f"/desk/attachments/{attachment.pk}/", f"/api/desk/attachments/{attachment.pk}",
            f"/media/{attachment.file.name}"]


def test_another_scopes_photo_file_is_served_to_no_one(security_world, as_role, debug_urls):
    problems = []
    for role in ROLES:
        scope = security_world.target(role)
        attachment = Attachment.objects.get(pk=scope.ids["attachment"])
        with attachment.file.open("rb") as stored:
            photo = stored.read()
        for url in _photo_urls(attachment):
            response = as_role(role).get(url)
            found = leaked(response, scope)
            if response.status_code == 200 or found or (photo and photo in content_of(response)):
                problems.append(f"{role} → GET {url}: {response.status_code} {found}")
    assert not problems, "\n".join(problems)


def test_the_photo_is_served_to_its_own_scope(security_world, as_role):
    """The check above can fail: the same routes give project A's admin A's photo, byte for byte."""
    attachment = Attachment.objects.get(pk=security_world.scopes["a"].ids["attachment"])
    with attachment.file.open("rb") as stored:
        photo = stored.read()
    for url in _photo_urls(attachment)[:2]:
        response = as_role("admin").get(url)
        assert response.status_code == 200, url
        assert content_of(response) == photo and response["X-Content-Type-Options"] == "nosniff"


def _visit(scope):
    return FollowUpVisit.objects.get(pk=scope.ids["visit"])


def _state(visit_id):
    return FollowUpVisit.objects.filter(pk=visit_id).values().get()


@pytest.mark.parametrize("how", ["guessed key", "B's id signed the old way with this server's key", "random",
                                 "A's link truncated", "A's link with one letter changed"])
def test_a_made_up_rating_link_shows_nothing_and_records_nothing(security_world, as_role, how):
    a, b = security_world.scopes["a"], security_world.scopes["b"]
    real = a.ids["rating_token"]
    token = {
        "guessed key": b.ids["rating_token"],  # world.py: B's visit id signed with a guessed key
        # before issue 10 the server itself signed links this way: its own signature opens nothing any more
        "B's id signed the old way with this server's key": signing.dumps({"v": b.ids["visit"]}, salt=OLD_RATING_SALT,
                                                                           compress=True),
        "random": secrets.token_urlsafe(32),
        "A's link truncated": real[:-3],
        "A's link with one letter changed": real[:-1] + ("A" if real[-1] != "A" else "B"),
    }[how]
    before = _state(b.ids["visit"])
    client = as_role("anonymous")
    for response in (client.get(f"/visits/rate/{token}/"),
                     client.post(f"/visits/rate/{token}/", {"satisfaction": "5", "comment": "伪造"}),
                     client.get(f"/visits/rate/{token}/thanks/")):
        assert response.status_code == 404, how
        assert not leaked(response, b) and not leaked(response, a), how
    assert _state(b.ids["visit"]) == before


def test_a_real_rating_link_opens_its_own_visit_only(security_world, as_role):
    """The control: A's real link opens A's visit (so the 404s above are about the token, not the route)."""
    a, b = security_world.scopes["a"], security_world.scopes["b"]
    response = as_role("anonymous").get(f"/visits/rate/{a.ids['rating_token']}/")
    assert response.status_code == 200 and a.ids["request_number"] in content_of(response).decode()
    assert not leaked(response, b)


def test_a_link_signed_with_the_published_development_key_opens_nothing(security_world, as_role):
    b = security_world.scopes["b"]
    forged = signing.dumps({"v": _visit(b).pk}, key=PUBLISHED_KEY, salt=OLD_RATING_SALT, compress=True)
    response = as_role("anonymous").get(f"/visits/rate/{forged}/")
    assert response.status_code == 404 and not leaked(response, b)
