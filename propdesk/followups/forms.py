"""Forms of the visit page and of the resident's rating page. They parse; the services decide (and their
ApplicationError is put back on the fields with core.errors.apply_to_form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AttemptOutcome, Confirmation, Quality, Satisfaction, VisitMethod

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened on the call"), choices=AttemptOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RescheduleForm(forms.Form):
    due_by = forms.DateTimeField(label=_("Visit by"), widget=DATETIME)
    reason = forms.CharField(label=_("Why it is moved"), max_length=200)


class VisitRecordForm(forms.Form):
    """《回访记录表》 as the visitor fills it in after a call or a visit at home. Online records come from the
    resident's rating link, not from this form."""

    method = forms.ChoiceField(label=_("Method"), widget=forms.RadioSelect, initial=VisitMethod.PHONE,
                               choices=[(VisitMethod.PHONE, VisitMethod.PHONE.label),
                                        (VisitMethod.FACE_TO_FACE, VisitMethod.FACE_TO_FACE.label)])
    satisfaction = forms.TypedChoiceField(label=_("Satisfaction"), coerce=int, choices=Satisfaction.choices,
                                          widget=forms.RadioSelect)
    quality = forms.ChoiceField(label=_("Quality of the work"), choices=Quality.choices, widget=forms.RadioSelect,
                                required=False)
    effect = forms.CharField(label=_("Effect of the service"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    shortcomings = forms.CharField(label=_("Shortcomings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    suggestions = forms.CharField(label=_("Suggestions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirmation = forms.ChoiceField(label=_("Resident's confirmation"), widget=forms.RadioSelect,
                                     initial=Confirmation.PHONE,
                                     choices=[(Confirmation.PHONE, Confirmation.PHONE.label),
                                              (Confirmation.SIGNED, Confirmation.SIGNED.label)])


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Manager's comment"), widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int,
                                          choices=Satisfaction.choices, widget=forms.RadioSelect,
                                          error_messages={"required": _("Choose one of the five answers."),
                                                          "invalid_choice": _("Choose one of the five answers.")})
    comment = forms.CharField(label=_("Anything to tell us? (optional)"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
