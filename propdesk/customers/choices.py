from django.db import models
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    OWNER = "owner", _("owner")
    CO_OWNER = "co_owner", _("co-owner")
    TENANT = "tenant", _("tenant")
    FAMILY = "family", _("family member")
    OCCUPANT = "occupant", _("other occupant")


class Segment(models.TextChoices):
    """Vanke's five customer segments."""

    YOUNG_PROFESSIONALS = "young_professionals", _("young professionals")
    AFFLUENT = "affluent", _("affluent family")
    SCHOOL_FAMILIES = "school_families", _("family with school children")
    RETIREES = "retirees", _("retirees")
    PRAGMATIC = "pragmatic", _("pragmatic family")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("mobile")
    LANDLINE = "landline", _("landline")


class Gender(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")
