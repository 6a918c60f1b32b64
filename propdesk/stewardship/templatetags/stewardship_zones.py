"""The steward of a resident's homes on the customer 360 page (``{% steward_panel resident %}``). The zones part
owns this library."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def steward_panel(context, resident):
    return ""
