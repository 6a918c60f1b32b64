import pytest

from propdesk.core.testing import sh
from propdesk.movein.selectors.handovers import dashboard_figures
from propdesk.movein.services.handover import handover_complete
from propdesk.movein.services.slots import booking_create

from .conftest import checklist_input

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)


def test_figures_count_bookings_and_open_defects_in_two_queries(movein, django_assert_num_queries):
    booking_create(actor=None, buyer=movein.buyers["101"], slot_id=movein.slots["tue"].pk, now=NOW)
    handover_complete(actor=movein.users["steward_a"], room_id=movein.buyers["102"].room_id, now=sh(2026, 10, 1, 10),
                      data=checklist_input({"阳台": "栏杆松动"}))
    with django_assert_num_queries(2):
        figures = {f["key"]: f for f in dashboard_figures(project_ids=[movein.project_a.pk], now=NOW)}
    assert figures["handovers_today"]["value"] == 0
    assert figures["handover_bookings_week"]["value"] == 1
    assert figures["handover_defects_open"]["value"] == 1
    assert figures["handover_defects_overdue"]["value"] == 1 and figures["handover_defects_overdue"]["alert"]
    tuesday = {f["key"]: f["value"] for f in dashboard_figures(project_ids=[movein.project_a.pk],
                                                               now=sh(2026, 11, 24, 8, 0))}
    assert tuesday["handovers_today"] == 1
    assert dashboard_figures(project_ids=[movein.project_b.pk], now=NOW)[2]["value"] == 0
