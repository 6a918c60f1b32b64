import uuid

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .choices import NoticeKind, NoticeScope
from .rules import LIMITS
from .services import NoticeInput

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IdList(forms.Field):
    """Checked ids from the scope picker (a list of strings); the service checks they belong to the project."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [str(v) for v in (value or [])][:2000]


class ScopeFields(forms.Form):
    """Who a notice (or an incident) is for: the whole project, buildings or units, picked from the project's."""

    scope = forms.ChoiceField(label=_("For whom"), choices=NoticeScope.choices, widget=forms.RadioSelect,
                              required=False)
    buildings = IdList(label=_("Buildings"), required=False)
    units = IdList(label=_("Units"), required=False)


class NoticeForm(ScopeFields):
    form_token = forms.CharField(widget=forms.HiddenInput)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices, initial=NoticeKind.OUTAGE)
    title = forms.CharField(label=_("Title"), max_length=LIMITS["title"])
    body = forms.CharField(label=_("Text"), max_length=LIMITS["body"], widget=forms.Textarea(
                               attrs={"rows": 6, "data-wording-check": reverse_lazy("api:wording_check")}),
                           help_text=_("Plain text; line breaks are kept."))
    valid_from = forms.DateTimeField(label=_("Valid from"), required=False, widget=DATETIME,
                                     help_text=_("Empty: from now."))
    valid_until = forms.DateTimeField(label=_("Valid until"), required=False, widget=DATETIME,
                                      help_text=_("Empty: until withdrawn."))
    expected_restore_at = forms.DateTimeField(label=_("Expected restore time"), required=False, widget=DATETIME)
    pinned = forms.BooleanField(label=_("Pin to the top"), required=False)
    urgent = forms.BooleanField(label=_("Urgent: also send an SMS to every resident in scope"), required=False)

    field_order = ["form_token", "project", "kind", "title", "body", "scope", "buildings", "units", "valid_from",
                   "valid_until", "expected_restore_at", "pinned", "urgent"]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)
            self.initial.setdefault("scope", NoticeScope.BUILDINGS)

    def clean_scope(self):
        # A notice without a scope: said on the field, in the reader's language (the service says it too).
        return self.cleaned_data.get("scope") or ""

    def to_input(self) -> NoticeInput:
        data = self.cleaned_data
        return NoticeInput(kind=data["kind"], title=data["title"], body=data["body"], scope=data["scope"],
                           building_ids=data["buildings"], unit_ids=data["units"], valid_from=data["valid_from"],
                           valid_until=data["valid_until"], expected_restore_at=data["expected_restore_at"],
                           pinned=data["pinned"], urgent=data["urgent"])
