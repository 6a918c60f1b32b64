import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Channel, ComplaintCategory, Emotion, Kind, Severity

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class IntakeForm(forms.Form):
    """Record-and-dispatch in one form: who, what, where, and (optionally) which department does it."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    reporter_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.REPAIR)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    contact_name = forms.CharField(label=_("Caller"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Call-back number"), max_length=30, required=False)
    room_code = forms.CharField(label=_("Room"), max_length=50, required=False,
                                help_text=_("Room code, e.g. 3-2-1802"))
    common_area_id = forms.TypedChoiceField(label=_("Common area"), coerce=int, required=False, empty_value=None)
    location_note = forms.CharField(label=_("Where exactly"), max_length=200, required=False)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    occurred_at = forms.DateTimeField(label=_("When it happened"), required=False, widget=DATETIME)
    cause = forms.CharField(label=_("Why (as told)"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    impact = forms.CharField(label=_("How it affects them"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    resident_request = forms.CharField(label=_("What the resident asks for"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    resident_deadline = forms.DateTimeField(label=_("By when"), required=False, widget=DATETIME)
    appointment_at = forms.DateTimeField(label=_("Appointment"), required=False, widget=DATETIME)
    emotion = forms.ChoiceField(label=_("Emotion"), choices=Emotion.choices, initial=Emotion.CALM)
    urgent = forms.BooleanField(label=_("Urgent (water pouring, no power or water, trapped in a lift, gas)"),
                                required=False)
    complaint_category = forms.ChoiceField(label=_("Complaint category"), required=False,
                                           choices=[("", "—"), *ComplaintCategory.choices])
    severity = forms.ChoiceField(label=_("Severity"), required=False, choices=[("", "—"), *Severity.choices])
    complained_department_id = forms.TypedChoiceField(label=_("Department complained about"), coerce=int,
                                                      required=False, empty_value=None)
    complained_person = forms.CharField(label=_("Person complained about"), max_length=100, required=False)
    photos = forms.FileField(label=_("Photos"), required=False, widget=MultipleFileInput(attrs={"accept": "image/*"}))
    dispatch = forms.ChoiceField(label=_("Dispatch to"), required=False,
                                 help_text=_("A person, or a department's pool where its staff grab the order"))

    def __init__(self, *args, common_areas=(), departments=(), staff=(), has_rules=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["common_area_id"].choices = [("", "—"), *[(a.pk, a.name) for a in common_areas]]
        dept_choices = [(d.pk, d.name) for d in departments]
        self.fields["complained_department_id"].choices = [("", "—"), *dept_choices]
        self.fields["dispatch"].choices = dispatch_choices(departments, staff, has_rules=has_rules)
        if has_rules:
            self.fields["dispatch"].initial = "auto"
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)

    def clean_photos(self):
        files = self.files.getlist("photos") if hasattr(self.files, "getlist") else []
        return validate_photos(files)


def dispatch_choices(departments, staff, *, has_rules=False):
    """One select for record-and-dispatch: per department its pool, then its people."""
    by_department: dict[int, list] = {}
    for profile in staff:
        by_department.setdefault(profile.department_id, []).append(profile)
    choices = [("", _("— record only, dispatch later —"))]
    if has_rules:
        choices.insert(0, ("auto", _("By the project's dispatch rules")))
    for department in departments:
        options = [(f"pool:{department.pk}", _("%(department)s pool (grab)") % {"department": department.name})]
        options += [(f"user:{p.user_id}", p.display_name) for p in by_department.get(department.pk, [])]
        choices.append((department.name, options))
    return choices


def parse_dispatch(value: str) -> tuple[str, int] | None:
    kind, _sep, ident = (value or "").partition(":")
    if kind in ("pool", "user") and ident.isdigit():
        return kind, int(ident)
    return None


def validate_photos(files):
    from PIL import Image, UnidentifiedImageError

    if len(files) > MAX_PHOTOS:
        raise forms.ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    for upload in files:
        if upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("“%(name)s” is larger than 5 MB.") % {"name": upload.name})
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise forms.ValidationError(_("“%(name)s” is not a photo (JPEG, PNG …).") % {"name": upload.name}) from None
        upload.seek(0)
    return files


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply to the resident"), widget=forms.Textarea(attrs={"rows": 3}))
    written = forms.BooleanField(label=_("Sent in writing"), required=False)
    complaint_valid = forms.TypedChoiceField(label=_("Complaint valid?"), required=False, empty_value=None,
                                             coerce=lambda v: v == "yes",
                                             choices=[("", "—"), ("yes", _("valid")), ("no", _("not valid"))])
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    is_call = forms.BooleanField(label=_("Phone call with the resident"), required=False)
    internal = forms.BooleanField(label=_("Internal (not shown to the resident)"), required=False, initial=True)
