import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Channel, ComplaintCategory, Emotion, Kind, Severity
from .rules.intake import TEXT_LIMITS
from .services.attachments import MAX_PHOTO_BYTES, MAX_PHOTOS, photos_prepare

__all__ = ["MAX_PHOTO_BYTES", "MAX_PHOTOS", "IntakeForm", "PhotosField", "validate_photos"]

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TOO_LONG = _("At most %(limit_value)d characters (this has %(show_value)d).")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one ``<input type=file multiple>``: cleans to a list (empty when none was chosen), each
    file checked as a photo within the size limit; every bad file is named in one message list.

    A plain ``FileField`` behind a multiple widget receives a list and refuses it as "no file was submitted": the
    reason no photo could be attached at intake."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("help_text", _("Up to %(n)s photos, at most 5 MB each.") % {"n": MAX_PHOTOS})
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        errors = []
        for upload in files:
            try:
                super().clean(upload, initial)  # a name, not empty
            except forms.ValidationError as error:
                errors.extend(f"“{upload.name}”: {message}" for message in error.messages)
        photos, problems = photos_prepare([f for f in files if f.size])
        errors += problems
        if errors:
            raise forms.ValidationError(errors, code="invalid_photo")
        return photos  # decoded and re-encoded: what is stored


class TextField(forms.CharField):
    """Free text with a length limit counted as the server stores it: a browser sends each line break as CRLF but
    counts it as one character against ``maxlength``; here it is one as well."""

    def __init__(self, *, limit: str, **kwargs):
        kwargs.setdefault("error_messages", {"max_length": TOO_LONG})
        super().__init__(max_length=TEXT_LIMITS[limit], **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class IntakeForm(forms.Form):
    """Record-and-dispatch in one form: who, what, where, and (optionally) which department does it."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    reporter_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.REPAIR)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    contact_name = TextField(label=_("Caller"), limit="contact_name", required=False)
    contact_phone = forms.CharField(label=_("Call-back number"), max_length=30, required=False)
    room_code = forms.CharField(label=_("Room"), max_length=50, required=False,
                                help_text=_("Room code, e.g. 3-2-1802"))
    common_area_id = forms.TypedChoiceField(label=_("Common area"), coerce=int, required=False, empty_value=None)
    location_note = TextField(label=_("Where exactly"), limit="location_note", required=False)
    description = TextField(label=_("What happened"), limit="description", widget=forms.Textarea(attrs={"rows": 3}))
    occurred_at = forms.DateTimeField(label=_("When it happened"), required=False, widget=DATETIME)
    cause = TextField(label=_("Why (as told)"), limit="cause", required=False,
                      widget=forms.Textarea(attrs={"rows": 1}))
    impact = TextField(label=_("How it affects them"), limit="impact", required=False,
                       widget=forms.Textarea(attrs={"rows": 1}))
    resident_request = TextField(label=_("What the resident asks for"), limit="resident_request", required=False,
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
    complained_person = TextField(label=_("Person complained about"), limit="complained_person", required=False)
    photos = PhotosField(label=_("Photos"))
    dispatch = forms.ChoiceField(label=_("Dispatch to"), required=False,
                                 help_text=_("A person, or a department's pool where its staff grab the order"),
                                 error_messages={"invalid_choice": _(
                                     "Nobody can take the order there now: choose a person or another pool.")})

    def __init__(self, *args, common_areas=(), departments=(), staff=(), pools=frozenset(), has_rules=False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["common_area_id"].choices = [("", "—"), *[(a.pk, a.name) for a in common_areas]]
        dept_choices = [(d.pk, d.name) for d in departments]
        self.fields["complained_department_id"].choices = [("", "—"), *dept_choices]
        self.fields["dispatch"].choices = dispatch_choices(departments, staff, pools=pools, has_rules=has_rules)
        if has_rules:
            self.fields["dispatch"].initial = "auto"
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)


def dispatch_choices(departments, staff, *, pools=frozenset(), has_rules=False):
    """One select for record-and-dispatch: per department its pool, then its people. A pool is offered only where
    someone can grab from it (``pools``: ids of such departments); a department with neither is left out."""
    by_department: dict[int, list] = {}
    for profile in staff:
        by_department.setdefault(profile.department_id, []).append(profile)
    choices = [("", _("— record only, dispatch later —"))]
    if has_rules:
        choices.insert(0, ("auto", _("By the project's dispatch rules")))
    for department in departments:
        options = []
        if department.pk in pools:
            options.append((f"pool:{department.pk}",
                            _("%(department)s pool (grab)") % {"department": department.name}))
        options += [(f"user:{p.user_id}", p.display_name) for p in by_department.get(department.pk, [])]
        if options:
            choices.append((department.name, options))
    return choices


def parse_dispatch(value: str) -> tuple[str, int] | None:
    kind, _sep, ident = (value or "").partition(":")
    if kind in ("pool", "user") and ident.isdigit():
        return kind, int(ident)
    return None


def validate_photos(files):
    """The photos re-encoded, when each file is a photo within the limits; else a ValidationError naming every one
    that is not."""
    photos, problems = photos_prepare(files)
    if problems:
        raise forms.ValidationError(problems, code="invalid_photo")
    return photos


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
