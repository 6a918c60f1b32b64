from datetime import date

import pytest

from propdesk.core.testing import sh
from propdesk.fees.models import Bill
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.setup import fee_items_standard

NOW = sh(2026, 11, 23, 10, 0)


@pytest.fixture
def fees(world):
    """Project A with the standard items and October's and November's bills; 3-2-1802 (89 m², occupied)."""
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    bills_generate(project=world.project_a, period_key="2026-10", now=NOW)
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    world.home = world.room(world.project_a, "3-2-1802")
    world.october = Bill.objects.get(room=world.home, item__code="property", period_key="2026-10")
    world.november = Bill.objects.get(room=world.home, item__code="property", period_key="2026-11")
    return world
