import pytest

from .factories import approved_renovation


@pytest.fixture
def renovation(world):
    """3-2-1802 of project A (周美玲's home), approved, deposit ¥3000 paid."""
    return approved_renovation(world, world.room(world.project_a, "3-2-1802"))
