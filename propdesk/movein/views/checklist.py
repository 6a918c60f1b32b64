"""The handover checklist on a tablet or phone (HANDOVER), and the handover's record (VIEW_HANDOVERS)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Room
from propdesk.stewardship.selectors.zones import steward_by_building

from ..models import Handover, HandoverBuyer
from ..rules.handover import AREAS, DOCUMENTS, KEYS
from ..selectors import handovers as selectors
from ..services.handover import AreaInput, HandoverInput, area_field, handover_complete
from .common import handover_required, viewer_required

CHOICES = [("ok", gettext_lazy("Fine")), ("defect", gettext_lazy("Defect"))]


class ChecklistForm(forms.Form):
    documents = forms.MultipleChoiceField(label=gettext_lazy("Documents checked"), required=False,
                                          choices=[(d, d) for d in DOCUMENTS], widget=forms.CheckboxSelectMultiple)
    water_reading = forms.CharField(label=gettext_lazy("Water meter"), required=False, max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    power_reading = forms.CharField(label=gettext_lazy("Power meter"), required=False, max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    gas_reading = forms.CharField(label=gettext_lazy("Gas meter"), required=False, max_length=20,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    moves_in = forms.ChoiceField(label=gettext_lazy("The buyer"), initial="yes", choices=[
        ("yes", gettext_lazy("moves in now")), ("no", gettext_lazy("does not move in yet (the home stays vacant)"))],
        widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for position, label in enumerate(KEYS):
            self.fields[f"key_{position}"] = forms.CharField(label=label, required=False, max_length=3, initial="1",
                                                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
        for position, label in enumerate(AREAS):
            self.fields[area_field(position)] = forms.ChoiceField(label=label, choices=CHOICES, required=False,
                                                                  widget=forms.RadioSelect)
            self.fields[f"note_{position}"] = forms.CharField(required=False, max_length=500)
        self.fields["keys"] = forms.CharField(required=False)  # where the service's key errors go
        self.fields["areas"] = forms.CharField(required=False)

    def key_rows(self):
        return [self[f"key_{i}"] for i in range(len(KEYS))]

    def area_rows(self):
        return [(self[area_field(i)], self[f"note_{i}"], f"photo_{i}") for i in range(len(AREAS))]

    def to_input(self, files) -> HandoverInput:
        data = self.cleaned_data
        areas = []
        for position, label in enumerate(AREAS):
            value = data.get(area_field(position))
            areas.append(AreaInput(area=label, ok=None if not value else value == "ok",
                                   note=data.get(f"note_{position}") or "",
                                   photos=files.getlist(f"photo_{position}")[:5]))
        return HandoverInput(
            documents=data["documents"], keys={label: data.get(f"key_{i}") or "0" for i, label in enumerate(KEYS)},
            readings={m: data[f"{m}_reading"] for m in ("water", "power", "gas")}, areas=areas,
            moves_in=data["moves_in"] != "no", note=data["note"])


@handover_required
def handover_checklist(request, room_id):
    with scoped_404():
        room = Room.objects.restrict(request.user).select_related("project", "building").get(pk=room_id)
    done = Handover.objects.filter(room=room).first()
    if done is not None:
        return redirect("movein:handover_detail", handover_id=done.pk)
    buyer = HandoverBuyer.objects.filter(room=room).first()
    booking = selectors.active_booking(room.pk)
    steward = steward_by_building([room.building_id]).get(room.building_id)
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover = handover_complete(actor=request.user, room_id=room.pk, data=form.to_input(request.FILES),
                                         now=timezone.now())
        except ApplicationError as error:
            done = Handover.objects.filter(room=room).first() if error.status_code == 409 else None
            if done is not None:  # a second tap, or a colleague's tablet first: show the record
                messages.info(request, error.message)
                return redirect("movein:handover_detail", handover_id=done.pk)
            apply_to_form(form, error)
        else:
            count = handover.defects.count()
            messages.success(request, _("%(code)s handed over; %(n)d defects sent to the developer.") % {
                "code": room.code, "n": count})
            return redirect("movein:handover_detail", handover_id=handover.pk)
    return render(request, "movein/checklist.html", {"room": room, "buyer": buyer, "booking": booking,
                                                     "steward": steward, "form": form})


@viewer_required
def handover_detail(request, handover_id):
    with scoped_404():
        handover = selectors.handover_detail(user=request.user, handover_id=handover_id)
    return render(request, "movein/handover.html", {"handover": handover, "defects": list(handover.defects.all())})
