from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.wording.services import wording_record


def repair(world, *, project=None, actor="agent_a"):
    """A repair of the resident of 3-2-1802, recorded on the phone an hour ago."""
    project = project or world.project_a
    room = world.room(project, "3-2-1802")
    return request_submit(actor=world.users[actor], project=project, now=TEST_NOW - timedelta(hours=1),
                          data=RequestInput(channel="phone", kind="repair", description="卫生间天花板渗水",
                                            room_id=room.pk, contact_name="周美玲", contact_phone="13812345678"))


def sent(world, user, text, *, project=None, at=TEST_NOW, source="reply", source_id=1):
    return wording_record(user=world.users[user] if isinstance(user, str) else user,
                          project=project or world.project_a, source=source, source_id=source_id, text=text, now=at)


@pytest.fixture
def request_a(world):
    return repair(world)
