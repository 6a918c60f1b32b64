"""What the work-order action forms (_workorder_actions.html) need to come back after a failed action."""

from django import template

register = template.Library()


@register.filter
def failed_for(failed, action):
    """The failed submission (typed values and errors by field) when it was this action's form, else empty: the other
    forms on the page stay blank and closed."""
    if failed and failed.get("action") == action:
        return failed
    return {}
