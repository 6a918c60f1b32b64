"""What a technician must see first, on the order page and in every list of orders: the kind (a complaint is handled
differently), its severity, urgency, how often the resident hurried it and whether the work came back (返工). One tag,
not an included template: the dispatch queue drew ~90 of those a load at a million rows. Uses only the order and its
request (already selected with it): no query."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import Kind, Severity

register = template.Library()


@register.simple_tag
def workorder_marks(wo):
    sr = wo.request
    marks = []  # (classes, title, text)
    if sr.kind != Kind.REPAIR:
        marks.append(("tag bad wo-kind" if sr.kind == Kind.COMPLAINT else "tag wo-kind", "", sr.get_kind_display()))
    if sr.kind == Kind.COMPLAINT and sr.severity:
        marks.append((f"tag {'warn' if sr.severity == Severity.MINOR else 'bad'} wo-severity", "",
                      sr.get_severity_display()))
    if sr.urgent:
        marks.append(("tag bad", "", _("urgent")))
    if sr.hurry_count:
        marks.append(("tag bad wo-hurry", "",
                      ngettext("hurried %(n)s×", "hurried %(n)s×", sr.hurry_count) % {"n": sr.hurry_count}))
    if wo.reopen_count:
        text = _("rework") + (f" ×{wo.reopen_count}" if wo.reopen_count > 1 else "")
        marks.append(("tag bad wo-rework", f"{_('reopened')} {wo.reopen_count}", text))
    return format_html_join("", ' <span class="{}"{}>{}</span>', (
        (classes, format_html(' title="{}"', title) if title else "", text) for classes, title, text in marks))
