import pytest

from propdesk.core.testing import PASSWORD, build_world


@pytest.fixture
def world(db):
    """A company with projects A and B (east branch) and C (west), rooms, residents and a user per role."""
    return build_world()


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as that user and returns the client."""

    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login
