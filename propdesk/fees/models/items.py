"""What a project charges: fee items (收费项目), their rates from a date (a price change never rewrites an issued bill),
the homes that subscribe to per-unit items (a parking space), and the dunning ladder."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.choices import RoomType
from propdesk.org.models import Project, Room

from ..choices import Cycle, DunningStepKind, FeeKind


class FeeItem(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="fee_items", verbose_name=_("project"))
    code = models.SlugField(_("code"), max_length=32)  # "property", "parking", "water": stable, for imports, API
    name = models.CharField(_("name"), max_length=50)  # 物业服务费
    kind = models.CharField(_("kind"), max_length=16, choices=FeeKind.choices)
    cycle = models.CharField(_("billing cycle"), max_length=16, choices=Cycle.choices, default=Cycle.MONTHLY)
    due_day = models.PositiveSmallIntegerField(_("due day of the month"), default=15)
    due_offset_months = models.PositiveSmallIntegerField(_("due months after the period starts"), default=0)
    unit = models.CharField(_("unit"), max_length=10, blank=True)  # m², 个, m³, kWh
    # Which room types an area or fixed item applies to; empty: every home. Per-subscription items (a parking space)
    # are charged only to the homes that subscribe, times the quantity.
    room_types = models.JSONField(_("room types"), default=list, blank=True)
    per_subscription = models.BooleanField(_("charged per subscribed unit"), default=False)
    vacant_discount_bp = models.PositiveIntegerField(_("vacant-home discount (basis points)"), default=0)
    from_handover = models.BooleanField(_("charged from the handover date"), default=True)
    late_daily_bp = models.PositiveIntegerField(_("late fee per day (basis points)"), default=0)
    late_grace_days = models.PositiveSmallIntegerField(_("late fee grace days"), default=0)
    late_cap_bp = models.PositiveIntegerField(_("late fee cap (basis points of the principal)"), default=10000)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["project_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="feeitem_code_unique"),
            models.CheckConstraint(condition=models.Q(due_day__gte=1, due_day__lte=28), name="feeitem_due_day"),
        ]

    def __str__(self):
        return self.name

    def applies_to(self, room_type: str) -> bool:
        return not self.room_types or room_type in self.room_types


class FeeRate(models.Model):
    """A price of an item from a date, per room type (blank: every type). Rates are never edited once bills use
    them: a new price is a new row with a later ``effective_from``. ``rate_fen`` is fen per m² and month (area),
    per home or unit and month (fixed), the amount (one-off), or unused (metered: ``tiers``)."""

    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="rates", verbose_name=_("fee item"))
    room_type = models.CharField(_("room type"), max_length=16, choices=RoomType.choices, blank=True)
    effective_from = models.DateField(_("effective from"))
    rate_fen = models.DecimalField(_("rate (fen)"), max_digits=14, decimal_places=4, default=0)
    # Metered: [{"up_to": "180" | null, "price_fen": "345"}, …] per month, cumulative limits; the last has no limit.
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["item_id", "room_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["item", "room_type", "effective_from"], name="feerate_unique"),
            models.CheckConstraint(condition=models.Q(rate_fen__gte=0), name="feerate_not_negative"),
        ]

    def __str__(self):
        return f"{self.item} {self.room_type or '*'} {self.effective_from}"


class Subscription(models.Model):
    """A home's per-unit item: a parking space (车位管理费) with its label, from a date until a date."""

    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="subscriptions",
                             verbose_name=_("fee item"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="fee_subscriptions", verbose_name=_("room"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    label = models.CharField(_("label"), max_length=50, blank=True)  # B1-023
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["item", "room"], name="subscription_item_room")]

    def __str__(self):
        return f"{self.item} {self.label}"


class DunningStep(models.Model):
    """One step of a project's dunning ladder (催缴): after N days (or whole months) overdue, counted from the oldest
    open bill's due date; only when more than ``min_owed_fen`` is owed."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    code = models.SlugField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=DunningStepKind.choices)
    after_days = models.PositiveIntegerField(_("after days overdue"), default=0)
    after_months = models.PositiveIntegerField(_("after months overdue"), default=0)
    min_owed_fen = models.PositiveBigIntegerField(_("only above (fen)"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dunning step")
        verbose_name_plural = _("dunning steps")
        ordering = ["project_id", "after_months", "after_days", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="dunningstep_code_unique")]

    def __str__(self):
        return self.code
