"""The demo builder of staffdesk at small scale: skills and certificates, one expiring soon and one expired."""

from datetime import date

import pytest

from propdesk.console.demo.spec import staff_username
from propdesk.console.demo.staffdesk import build_staffdesk
from propdesk.core.testing import make_user
from propdesk.org.models import Department, Project
from propdesk.staff.models import StaffCertificate, StaffSkill
from propdesk.staff.rules.skills import CertificateState, certificate_state

pytestmark = pytest.mark.django_db


def test_builder_gives_skills_and_certificates(world):
    project = world.project_a
    Project.objects.filter(pk=project.pk).update(code="cuihu")
    eng = Department.objects.get(project=project, kind="engineering")
    for prefix in ("tech", "tech2", "tech3"):
        make_user(staff_username(prefix, "cuihu"), role="technician", department=eng, project=project)
    today = date(2026, 11, 23)
    counts = build_staffdesk(None, today=today)
    assert counts["certificates"] == 6 and StaffSkill.objects.count() == counts["skills"] == 9
    states = {(c.profile.user.username, c.kind): certificate_state(c.valid_until, today)
              for c in StaffCertificate.objects.select_related("profile__user")}
    assert states[(staff_username("tech2", "cuihu"), "electrician")] == CertificateState.EXPIRING
    assert states[(staff_username("tech3", "cuihu"), "welder")] == CertificateState.EXPIRED
    assert list(states.values()).count(CertificateState.VALID) == 4
