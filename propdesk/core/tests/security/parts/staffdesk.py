"""staffdesk (issue 13): in each scope a certificate on the scope's technician, and a member of the staff page of
its own (the control deactivates, edits and reactivates A's, so the world's technician keeps working) with a skill
and two certificates (one the page's control removes, one the API's)."""

from datetime import date

from propdesk.core.testing import make_user
from propdesk.staff.models import StaffCertificate, StaffSkill


def populate(ctx):
    tech = ctx.people["technician"]
    StaffCertificate.objects.create(profile=tech.staff_profile, kind="electrician",
                                    number=f"{ctx.marker}电工证", valid_until=date(2030, 6, 30))
    member = make_user(f"{ctx.tag}_staffdesk_member", role="technician", department=tech.staff_profile.department,
                       project=ctx.project, display_name=f"{ctx.marker}技师")
    profile = member.staff_profile
    StaffSkill.objects.create(profile=profile, skill="lift")
    page_cert = StaffCertificate.objects.create(profile=profile, kind="lift", number=f"{ctx.marker}电梯证",
                                                valid_until=date(2030, 1, 1))
    api_cert = StaffCertificate.objects.create(profile=profile, kind="welder", number=f"{ctx.marker}焊工证",
                                               valid_until=date(2020, 1, 1))
    ids = {"staff_member": profile.pk, "staff_certificate_page": page_cert.pk, "staff_certificate": api_cert.pk}
    return ids, (f"{ctx.marker}技师", f"{ctx.marker}电工证", f"{ctx.marker}电梯证", f"{ctx.marker}焊工证")
