from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RoomStatus, RoomType
from .models import Room


class BuildingGenerateForm(forms.Form):
    number = forms.CharField(label=_("Building number"), max_length=16,
                             help_text=_("As residents say it: 3 for building 3."))
    name = forms.CharField(label=_("Name"), max_length=50, required=False,
                           help_text=_("Optional, e.g. 3号楼 or 紫荆苑."))
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=200)
    units = forms.IntegerField(label=_("Units (stairwells)"), min_value=1, max_value=50, initial=1)
    rooms_per_floor = forms.IntegerField(label=_("Rooms per floor in each unit"), min_value=0, max_value=99,
                                         initial=2)
    first_floor = forms.IntegerField(label=_("Lowest residential floor"), initial=1, min_value=-5, max_value=100)
    room_type = forms.ChoiceField(label=_("Room type"), choices=RoomType.choices, initial=RoomType.RESIDENCE)
    area = forms.DecimalField(label=_("Typical floor area (m²)"), required=False, min_value=0, max_digits=8,
                              decimal_places=2)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["floor", "area", "room_type", "status", "handed_over_on"]
        widgets = {"status": forms.Select(choices=RoomStatus.choices),
                   "handed_over_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
