"""The section the renovation's page includes (``{% inspections_panel renovation %}``): inspections, rectifications,
acceptance, linked complaints and candidates for staff; a link to their page for the household."""

from datetime import timedelta

import pytest
from django.template import engines
from django.test import RequestFactory

from propdesk.core.testing import TEST_NOW
from propdesk.renovation.services.inspections import (
    DEFAULT_CHECKLIST,
    AcceptanceInput,
    InspectionInput,
    ItemAnswer,
    acceptance_record,
    inspection_record,
)
from propdesk.servicedesk.services.requests import RequestInput, request_submit

pytestmark = pytest.mark.django_db
SECTION = engines["django"].from_string('{% include "renovation/_inspections_section.html" %}')


def render(user, renovation) -> str:
    request = RequestFactory().get(f"/renovation/{renovation.pk}/")
    request.user = user
    return SECTION.render({"renovation": renovation}, request)


def test_staff_section_and_resident_link(world, renovation, django_assert_max_num_queries):
    steward = world.users["steward_a"]
    for day in range(3):
        inspection_record(actor=steward, renovation_id=renovation.pk, now=TEST_NOW - timedelta(days=3 - day),
                          data=InspectionInput(answers=[ItemAnswer(label, not (day == 0 and i == 1), "无灭火器")
                                                        for i, label in enumerate(DEFAULT_CHECKLIST)]))
    request_submit(actor=world.users["agent_a"], project=world.project_a, now=TEST_NOW, data=RequestInput(
        channel="phone", kind="complaint", description="楼上装修噪音太大", contact_name="王女士",
        contact_phone="13911112222", room_id=world.room(world.project_a, "3-2-1702").pk,
        complaint_category="property", severity="minor"))
    acceptance_record(actor=steward, renovation_id=renovation.pk, now=TEST_NOW, data=AcceptanceInput(passed=True))
    with django_assert_max_num_queries(20):
        html = render(steward, renovation)
    assert "renovation-inspections" in html and "无灭火器" in html and "楼上装修噪音太大" in html
    assert "3000.00" in html  # the deposit held at acceptance
    resident_html = render(world.users["resident_a"], renovation)
    assert f"/my/renovation/{renovation.pk}/acceptance/" in resident_html and "无灭火器" not in resident_html
