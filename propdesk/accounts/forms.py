from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=40, widget=forms.TextInput(attrs={
        "type": "tel", "inputmode": "tel", "autocomplete": "tel", "placeholder": "138 0000 0000",
        "class": "signin-input"}))


class CodeForm(PhoneForm):
    code = forms.CharField(label=_("Verification code"), max_length=12, required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*", "maxlength": "6",
               "placeholder": "6位数字", "class": "signin-input code-input"}))
