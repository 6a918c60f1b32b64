from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Gender, Relation, Segment


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone1 = forms.CharField(label=_("Mobile or landline"), max_length=30,
                             help_text=_("e.g. 13812345678 or 021-62345678"))
    phone2 = forms.CharField(label=_("Second phone"), max_length=30, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    segment = forms.ChoiceField(label=_("Customer segment"), choices=[("", "—"), *Segment.choices], required=False)
    is_former_committee = forms.BooleanField(label=_("former owners' committee member"), required=False)
    is_elderly_alone = forms.BooleanField(label=_("elderly living alone"), required=False)
    is_vip = forms.BooleanField(label=_("VIP"), required=False)
    is_frequent_complainant = forms.BooleanField(label=_("frequent complainant"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NewResidentForm(ResidentForm):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    room_code = forms.CharField(label=_("Room"), max_length=50, required=False,
                                help_text=_("Room code, e.g. 3-2-1802"))
    relation = forms.ChoiceField(label=_("Relation to the room"), choices=Relation.choices, initial=Relation.OWNER)

    field_order = ["project", "room_code", "relation", "name", "phone1", "phone2"]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if projects.count() == 1:
            self.fields["project"].initial = projects.first()


class OccupancyForm(forms.Form):
    room_code = forms.CharField(label=_("Room"), max_length=50, help_text=_("Room code, e.g. 3-2-1802"))
    relation = forms.ChoiceField(label=_("Relation to the room"), choices=Relation.choices)
    start_date = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
