"""Forms of the knowledge pages; the services check everything again (ApplicationError → field messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.servicedesk.choices import Channel

from .models import TAGS_MAX, TEXT_MAX, TITLE_MAX, CaseCategory
from .services import QUESTION_MAX, TOPIC_MAX


class _ProjectChoice(forms.Form):
    project_id = forms.TypedChoiceField(label=_("Project"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, projects, company_wide: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, p.name) for p in projects]
        if company_wide:
            choices = [("", company_wide), *choices]
        if not choices:  # the row's project is fixed (an edit, a project's own answer)
            del self.fields["project_id"]
            return
        self.fields["project_id"].choices = choices
        if len(choices) == 1:
            self.fields["project_id"].widget = forms.HiddenInput()


class CaseForm(_ProjectChoice):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    category = forms.ChoiceField(label=_("Category"), choices=CaseCategory.choices)
    happened = forms.CharField(label=_("What happened"), max_length=TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 4}))
    handling = forms.CharField(label=_("How it was handled"), max_length=TEXT_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(label=_("Outcome"), max_length=TEXT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    lessons = forms.CharField(label=_("Lessons"), max_length=TEXT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label=_("Tags"), max_length=TAGS_MAX, required=False,
                           help_text=_("Words separated by spaces, e.g. 漏水 楼上 邻里."))


class AnswerForm(_ProjectChoice):
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX)
    question = forms.CharField(label=_("Question"), max_length=QUESTION_MAX)
    answer = forms.CharField(label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    keywords = forms.CharField(label=_("Keywords"), max_length=TAGS_MAX, required=False,
                               help_text=_("Other words residents use, separated by spaces."))


class AnswerCloseForm(_ProjectChoice):
    """Answer and close: who asked, and what was said (prefilled from the standard answer)."""

    contact_name = forms.CharField(label=_("Caller's name"), max_length=50)
    contact_phone = forms.CharField(label=_("Phone"), max_length=24, required=False,
                                    help_text=_("A mobile number gets the answer by SMS."))
    room_code = forms.CharField(label=_("Home (code)"), max_length=50, required=False,
                                widget=forms.TextInput(attrs={"placeholder": "3-2-1802", "autocomplete": "off"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    question = forms.CharField(label=_("What the resident asked"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    reply = forms.CharField(label=_("The answer given"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
