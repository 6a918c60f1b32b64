"""On a 390×844 phone the steward records a failed inspection (photo, note), then the passed re-inspection; the
household asks for acceptance in the app; the steward records it with a deduction; the PM approves the refund at
the desk: the deposit less the deduction is paid back."""

import io
from datetime import timedelta

import pytest
from PIL import Image

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.core.testing import TEST_NOW
from propdesk.fees.choices import EntryKind
from propdesk.fees.models import LedgerEntry
from propdesk.org.models import Room
from propdesk.renovation.models import RectificationStatus, RenovationRectification, RenovationStatus
from propdesk.renovation.services.inspections import DEFAULT_CHECKLIST
from propdesk.stewardship.models import ZoneAssignment

from .factories import approved_renovation

pytestmark = [pytest.mark.browser, requires_chromium]


def photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (150, 120, 90)).save(out, format="JPEG")
    return {"name": "IMG_0101.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_inspections_to_refund_on_a_phone(live_server, world):
    renovation = approved_renovation(world, world.room(world.project_a, "3-2-1802"))
    ZoneAssignment.objects.create(project=world.project_a, building=renovation.building,
                                  steward=world.users["steward_a"], assigned_at=TEST_NOW - timedelta(days=90))
    base = live_server.url
    with browser_page(viewport=PHONE) as page:
        sign_in(page, base, "steward_a")
        page.goto(f"{base}/renovation/inspections/")
        page.wait_for_selector(f"#due-{renovation.pk}")
        fits(page)
        page.click(f"#due-{renovation.pk} a.btn")
        page.wait_for_selector("#renovation-inspect-form")
        fits(page)
        for position in range(len(DEFAULT_CHECKLIST)):
            page.check(f"input[name=item_{position}][value={'fail' if position == 2 else 'pass'}]")
        page.fill("input[name=note_2]", "建筑垃圾堆放在楼道，未袋装")
        page.set_input_files("input[name=photos]", [photo()])
        page.click("#renovation-inspect-submit")
        page.wait_for_selector("#open-rect-list")
        assert "ZG" in page.inner_text("#open-rect-list")
        fits(page)
        page.goto(f"{base}/renovation/{renovation.pk}/inspect/")
        page.wait_for_selector("#open-rectification")
        for position in range(len(DEFAULT_CHECKLIST)):
            page.check(f"input[name=item_{position}][value=pass]")
        page.click("#renovation-inspect-submit")
        page.wait_for_selector("#due-list")
    with browser_page(viewport=PHONE) as page:  # the household says the work is done, in the app
        sign_in(page, base, "resident_a")
        page.goto(f"{base}/my/renovation/{renovation.pk}/acceptance/")
        page.wait_for_selector("#ask-acceptance")
        assert "ZG" in page.inner_text("#my-renovation")  # the rectification notice, now put right
        fits(page)
        page.click("#ask-acceptance")
        page.wait_for_selector("#renovation-status")
        assert not page.query_selector("#ask-acceptance")
    with browser_page(viewport=PHONE) as page:
        sign_in(page, base, "steward_a")
        page.goto(f"{base}/renovation/inspections/")
        page.wait_for_selector("#acceptance-list a.btn")
        page.click("#acceptance-list a.btn")
        page.wait_for_selector("#acceptance-form")
        fits(page)
        page.check("input[name=passed][value=yes]")
        page.fill("input[name=reason_0]", "楼道墙面污损修复")
        page.fill("input[name=amount_0]", "200")
        page.click("#acceptance-submit")
        page.wait_for_selector("#due-list")
        fits(page)
    with browser_page() as page:
        sign_in(page, base, "pm_a")
        page.goto(f"{base}/renovation/acceptances/")
        page.wait_for_selector("#acceptances")
        assert "2800.00" in page.inner_text("#acceptances")
        page.click("#acceptances button[value=approve]")
        page.wait_for_selector("#acceptances")
        assert "2800.00" not in page.inner_text("#acceptances")
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.CLOSED
    assert RenovationRectification.objects.get().status == RectificationStatus.FIXED
    assert LedgerEntry.objects.get(kind=EntryKind.DEPOSIT_REFUND, bill=renovation.deposit_bill).cash_fen == -280000
    assert Room.objects.get(pk=renovation.room_id).status == "occupied"
