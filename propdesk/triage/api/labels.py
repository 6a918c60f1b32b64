"""Display names of the triage labels that have no TextChoices of their own in the service desk."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.org.choices import DepartmentKind

DEPARTMENT_LABELS = {**{kind.value: kind.label for kind in DepartmentKind}, "management": _("project office")}
URGENCY_LABELS = {"urgent": pgettext_lazy("repair urgency", "urgent"),
                  "normal": pgettext_lazy("repair urgency", "normal")}
