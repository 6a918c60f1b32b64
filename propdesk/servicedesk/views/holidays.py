"""The holiday calendar page: an admin enters a year's statutory holidays and adjusted working days (调休) when the
calendar package does not know the year yet; deadlines use them at once."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required
from propdesk.staff.rules.roles import Capability

from ..models import HolidayDayKind
from ..rules.holidays import format_days
from ..selectors.holidays import holiday_year_days, holiday_years, missing_years, year_known
from ..services.holidays import FIRST_YEAR, LAST_YEAR, holiday_year_save


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    holidays = forms.CharField(
        label=gettext_lazy("Holidays"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": "2027-01-01 元旦\n2027-02-06~2027-02-12 春节"}),
        help_text=gettext_lazy("One date or range a line, then the name: 2027-02-06~2027-02-12 春节."))
    workdays = forms.CharField(
        label=gettext_lazy("Adjusted working days (调休)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2027-02-14 春节调休"}),
        help_text=gettext_lazy("Weekend days worked to bridge a holiday, one a line, then the name."))


@capability_required(Capability.EDIT_CALENDAR)
def holiday_calendar(request):
    today = timezone.localdate()
    if request.method == "POST":
        form = HolidayYearForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                holiday_year_save(actor=request.user, year=data["year"], holidays=data["holidays"],
                                  workdays=data["workdays"])
            except ApplicationError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, _("The holidays of %(year)d are saved; deadlines use them from now on.")
                                 % {"year": data["year"]})
                return redirect(f"{reverse('servicedesk:holiday_calendar')}?year={data['year']}")
    else:
        missing = missing_years(today=today)
        wanted = request.GET.get("year", "")
        year = int(wanted) if wanted.isdigit() and FIRST_YEAR <= int(wanted) <= LAST_YEAR else (
            missing[0] if missing else today.year + 1)
        days = holiday_year_days(year)
        form = HolidayYearForm(initial={"year": year, "holidays": format_days(days[HolidayDayKind.HOLIDAY]),
                                        "workdays": format_days(days[HolidayDayKind.WORKDAY])})
    year, entered = str(form["year"].value()), holiday_years()
    in_package = (year.isdigit() and year_known(int(year))
                  and not any(str(row["year"]) == year for row in entered))
    return render(request, "servicedesk/holiday_calendar.html", {
        "form": form, "years": entered, "missing": missing_years(today=today), "in_package": in_package})
