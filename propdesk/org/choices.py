from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomStatus(models.TextChoices):
    OCCUPIED = "occupied", _("occupied")
    VACANT = "vacant", _("vacant")
    RENOVATING = "renovating", _("under renovation")


class RoomType(models.TextChoices):
    RESIDENCE = "residence", _("residence")
    APARTMENT = "apartment", _("serviced apartment")
    VILLA = "villa", _("villa")
    SHOP = "shop", _("shop")
    OFFICE = "office", _("office")
    OTHER = "other", _("other")


class CommonAreaKind(models.TextChoices):
    GARAGE = "garage", _("garage level")
    LOBBY = "lobby", _("lobby")
    ELEVATOR = "elevator", _("elevator")
    SQUARE = "square", _("square")
    GREENERY = "greenery", _("greenery")
    CLUBHOUSE = "clubhouse", _("clubhouse")
    OTHER = "other", _("other")


class DepartmentKind(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("customer service center")
    ENGINEERING = "engineering", _("engineering")
    SECURITY = "security", _("security")
    CLEANING = "cleaning", _("cleaning")
    LANDSCAPING = "landscaping", _("landscaping")
    FINANCE = "finance", _("finance")
    DEVELOPER = "developer", _("developer after-sales")
