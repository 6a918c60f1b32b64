"""A resident's home visits on the customer 360 page (``{% home_visits_panel resident %}``). The visits part owns
this library."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def home_visits_panel(context, resident):
    return ""
