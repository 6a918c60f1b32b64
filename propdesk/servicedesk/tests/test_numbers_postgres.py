"""Request numbers under concurrent intake (PostgreSQL): creates in one project at once get distinct numbers, and
a create does not wait for another one's transaction to commit (the day's counter row is held for one statement,
core/sequences.py)."""

import threading

import pytest
from django.db import connection, connections

from propdesk.core.testing import TEST_NOW
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.services.requests import RequestInput, request_submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent transactions on one row need a real database server (CI runs this "
                    "on PostgreSQL)")


def _repair(world, i: int) -> RequestInput:
    return RequestInput(channel="phone", kind="repair", description=f"{i}号楼道灯不亮", contact_name=f"住户{i}",
                        contact_phone="13900001111", room_id=world.room(world.project_a, "3-2-1802").pk)


def _in_thread(target, results: list, errors: list):
    def run():
        try:
            results.append(target())
        except Exception as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connections.close_all()
    return threading.Thread(target=run)


def test_eight_creates_at_once_in_one_project_get_eight_consecutive_numbers(world):
    agent, start = world.users["agent_a"], threading.Barrier(8)

    def create(i):
        start.wait(timeout=30)
        return request_submit(actor=agent, project=world.project_a, data=_repair(world, i), now=TEST_NOW).number

    numbers, errors = [], []
    threads = [_in_thread(lambda i=i: create(i), numbers, errors) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    prefix = world.project_a.number_prefix
    # No create failed, so no number was lost: 001 … 008 of the day, each once.
    assert sorted(numbers) == [f"{prefix}-261123-{n:03d}" for n in range(1, 9)]
    assert ServiceRequest.objects.filter(project=world.project_a).count() == 8


def test_a_create_does_not_wait_for_another_creates_commit(world):
    """The first create stops inside its transaction (after its number, before its commit); a second create in the
    same project and day finishes meanwhile. Before issue 15 it waited on the counter row until the first commit."""
    agent = world.users["agent_a"]
    inside, second_done, meanwhile = threading.Event(), threading.Event(), []

    def hold(_request):
        inside.set()
        meanwhile.append(second_done.wait(timeout=10))  # False: the second was still waiting after 10 s

    def first():
        return request_submit(actor=agent, project=world.project_a, data=_repair(world, 1), now=TEST_NOW,
                              on_record=hold).number

    def second():
        assert inside.wait(timeout=30)
        number = request_submit(actor=agent, project=world.project_a, data=_repair(world, 2), now=TEST_NOW).number
        second_done.set()
        return number

    numbers, errors = [], []
    threads = [_in_thread(first, numbers, errors), _in_thread(second, numbers, errors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert meanwhile == [True], "the second create waited for the first one's commit"
    prefix = world.project_a.number_prefix
    assert sorted(numbers) == [f"{prefix}-261123-001", f"{prefix}-261123-002"]
