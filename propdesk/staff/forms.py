from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TokenScope
from .rules.tokens import DEFAULT_LIFETIME_DAYS, LIFETIME_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What uses the token, so that you recognise it later."))
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ,
                              help_text=_("A read-only token can only read; it cannot record or change anything."))
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, initial=DEFAULT_LIFETIME_DAYS,
                                  choices=[(days, _("%(days)s days") % {"days": days}) for days in LIFETIME_DAYS])
