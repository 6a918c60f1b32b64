from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitStatus(models.TextChoices):
    PENDING = "pending", _("to visit")
    DONE = "done", _("visited")
    UNREACHABLE = "unreachable", _("unreachable")
    CANCELLED = "cancelled", _("cancelled")


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("phone")
    FACE_TO_FACE = "face_to_face", _("face to face")
    ONLINE = "online", _("online")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    NEUTRAL = 3, _("neutral")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


class Quality(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")


class Confirmation(models.TextChoices):
    PHONE = "phone", _("confirmed by phone")
    SIGNED = "signed", _("signed")
    ONLINE = "online", _("rated online")


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("no answer")
    BUSY = "busy", _("busy")
    WRONG_NUMBER = "wrong_number", _("wrong number")
    CALL_BACK = "call_back", _("asked to call back later")


class Decision(models.TextChoices):
    NONE = "", _("none")
    REOPENED = "reopened", _("request reopened")
    COMPLAINT = "complaint", _("new complaint created")


DISSATISFIED_LEVELS = (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED)
