from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayYear(models.Model):
    """A year whose statutory schedule (法定节假日 and 调休) an admin entered from the State Council's notice. Its days
    replace the calendar package's data for that year in all deadline arithmetic (rules/calendar.HolidaySchedule);
    the schedule is national, so it holds for every company and project."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class HolidayDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")
    WORKDAY = "workday", _("adjusted working day")


class HolidayCalendarDay(models.Model):
    """One day of an entered year: a holiday (a day off) or an adjusted working day 调休 (a weekend day worked)."""

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year"))
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=HolidayDayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 春节"))

    class Meta:
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar days")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day.isoformat()} {self.name}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.day and self.year_id and self.day.year != self.year.year:
            raise ValidationError({"day": _("Choose a date in %(year)d.") % {"year": self.year.year}})
