"""Forms of finance's pages. Amounts and prices stay text: the services parse them (yuan → fen) and say what is
wrong with the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.org.choices import RoomType

from ...choices import Cycle, FeeKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KINDS = [(k, label) for k, label in FeeKind.choices if k in (FeeKind.AREA, FeeKind.FIXED, FeeKind.METERED,
                                                               FeeKind.ONE_OFF)]
TIER_ROWS = 4


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("e.g. storage; letters, digits and _"))
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Charged"), choices=KINDS)
    cycle = forms.ChoiceField(label=_("Billing cycle"), choices=Cycle.choices)
    due_day = forms.IntegerField(label=_("Due day (1–28)"), min_value=1, max_value=28, initial=15)
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False)
    room_types = forms.MultipleChoiceField(label=_("Room types (none: all)"), choices=RoomType.choices,
                                           required=False, widget=forms.CheckboxSelectMultiple)
    per_subscription = forms.BooleanField(label=_("Charged per subscribed unit (parking space)"), required=False)
    vacant_discount_percent = forms.CharField(label=_("Vacant-home discount (%)"), initial="0", max_length=10)
    late_fee_per_mille = forms.CharField(label=_("Late fee per day (‰)"), initial="0", max_length=10)
    late_cap_percent = forms.CharField(label=_("Late fee cap (% of the amount)"), initial="100", max_length=10)
    late_grace_days = forms.IntegerField(label=_("Late fee grace days"), min_value=0, max_value=365, initial=0)


class RateForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    room_type = forms.ChoiceField(label=_("Room type"), choices=[("", _("all types")), *RoomType.choices],
                                  required=False)
    rate = forms.CharField(label=_("Price (yuan)"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, metered=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.metered = metered
        if metered:
            del self.fields["rate"]
            del self.fields["room_type"]

    def tiers(self):
        data = self.data
        return [(data.get(f"up_to_{i}", ""), data.get(f"price_{i}", "")) for i in range(TIER_ROWS)]


class StandardForm(forms.Form):
    effective_from = forms.DateField(label=_("Prices effective from"), widget=DATE)


class SubscriptionForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)
    label = forms.CharField(label=_("Space number"), max_length=50, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    start_date = forms.DateField(label=_("From"), widget=DATE)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, i.name) for i in items]


class OneOffForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)
    amount = forms.CharField(label=_("Amount (yuan; empty: the listed amount)"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(label=_("Note"), max_length=100, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, i.name) for i in items]


class RunForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    period = forms.RegexField(label=_("Month"), regex=r"^\d{4}-\d{2}$", max_length=7,
                              widget=forms.TextInput(attrs={"type": "month"}),
                              error_messages={"invalid": _("Choose a month to bill, such as 2026-11.")})

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, p.name) for p in projects]
        if kwargs.get("prefix") == "openings":
            del self.fields["item"], self.fields["period"]


class ImportForm(forms.Form):
    """The project is a choice among the user's projects (an id outside them is an invalid choice)."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    item = forms.CharField(label=_("Metered item (code)"), required=False, max_length=32)
    period = forms.CharField(label=_("Period"), required=False, max_length=10,
                             widget=forms.TextInput(attrs={"type": "month"}))
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, p.name) for p in projects]
        if kwargs.get("prefix") == "openings":
            del self.fields["item"], self.fields["period"]
