"""``{% violation_from_finding_url finding as url %}``: the page recording a violation from a patrol finding, for
whoever may record violations (empty otherwise)."""

from django import template
from django.urls import reverse

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

register = template.Library()


@register.simple_tag(takes_context=True)
def violation_from_finding_url(context, finding) -> str:
    request = context.get("request")
    if request is None or not user_can(request.user, Capability.RECORD_VIOLATIONS):
        return ""
    return f"{reverse('violations:violation_new')}?finding={finding.pk}"
