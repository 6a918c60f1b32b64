"""The inspections part's section on a renovation's page (stub: the inspections part fills it in)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def inspections_panel(context, renovation):
    return ""
