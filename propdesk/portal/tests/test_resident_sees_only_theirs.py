"""A resident whose own archive record carries the staff's CRM data (segment, flags, a staff note, the archive
number, the ID number) and whose request carries internal notes, deadlines and escalations signs in and fetches
every page and API route a resident can reach: none of it shows (issue 10, hole 6)."""

import json

from propdesk.customers.models import Resident

from .helpers import INTERNAL_NOTE, full_story, sh

STAFF_NOTE = "难缠客户，勿上门"
ID_NUMBER = "110101199003071233"

# Keys of the staff's records that no answer to a resident may carry (deadlines, escalations, CRM data).
STAFF_KEYS = {"segment", "flags", "note", "archive_no", "id_number", "is_vip", "is_frequent_complainant",
              "respond_by", "arrive_by", "resolve_by", "emotion", "acknowledged_at", "acknowledged_by_id",
              "escalation", "escalations", "internal", "instructions", "complaint_valid", "root_cause",
              "complained_person", "held_seconds", "reopen_count"}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in _keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in _keys(item)}
    return set()


def test_no_route_shows_a_resident_the_staffs_data_about_them(world, login):
    owner = world.residents["a_owner"]
    Resident.objects.filter(pk=owner.pk).update(segment="affluent", is_frequent_complainant=True, is_vip=True,
                                                note=STAFF_NOTE, id_number=ID_NUMBER)
    owner.refresh_from_db()
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))  # escalated past its deadlines, with an internal note
    room = world.room(world.project_a, "3-2-1802")
    order = story.work_orders.get()
    secrets = [STAFF_NOTE, INTERNAL_NOTE, ID_NUMBER, owner.archive_no, "affluent", "富贵之家", "frequent",
               "多次投诉客户", "VIP", "升级", "escalat"]

    client = login(world.users["resident_a"])
    api = ["/api/me", "/api/portal/me", "/api/portal/requests", f"/api/portal/requests/{story.pk}",
           "/api/inbox", "/api/inbox/count", "/api/org/rooms", f"/api/org/rooms/{room.pk}",
           "/api/customers/residents", f"/api/customers/residents/{owner.pk}",
           "/api/desk/requests", f"/api/desk/requests/{story.pk}", f"/api/desk/work-orders/{order.pk}",
           "/api/followups/visits", "/api/reports/dashboard"]
    pages = ["/", "/my/", f"/my/requests/{story.pk}/", "/inbox/", f"/customers/residents/{owner.pk}/",
             f"/desk/requests/{story.pk}/", f"/desk/work-orders/{order.pk}/", f"/org/rooms/{room.pk}/",
             "/search/?q=" + owner.name]
    reached = 0
    for url in api:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
        if response.status_code == 200:
            reached += 1
            assert not _keys(json.loads(body)) & STAFF_KEYS, (url, _keys(json.loads(body)) & STAFF_KEYS)
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        body = response.content.decode()
        for secret in secrets + [str(owner.get_segment_display())]:
            assert secret not in body, (url, secret)
    assert reached >= 8  # the resident's own routes answered: the checks above ran on real data
