"""Paid repairs 报修有偿: the project's published price list, the quote on a work order the resident agrees before work
starts, and payments with receipt numbers from a per-project sequence. Written only through services/payments.py and
services/prices.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Project

from .workorders import WorkOrder


class AgreementMethod(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    CODE = "code", _("one-time code")
    IN_PERSON = "in_person", _("in person")
    APP = "app", _("in the app")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("bank card")


class BillingQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:  # a resident sees the quotes and receipts of their own requests
            return models.Q(work_order__request__reporter_id=scope.resident_id)
        if scope.department_id:
            return models.Q(work_order__department_id=scope.department_id)
        return super().scope_filter(scope)


class PriceItem(models.Model):
    """One line of the project's published price list (收费标准), e.g. 更换水龙头阀芯 · 个 · 30.00."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="price_items",
                                verbose_name=_("project"))
    name = models.CharField(_("item"), max_length=100)
    unit = models.CharField(_("unit"), max_length=10)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list")
        ordering = ["project_id", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="priceitem_name_unique")]

    def __str__(self):
        return f"{self.name} ({self.price}/{self.unit})"


class Quote(models.Model):
    """报价: what a paid repair will cost, from the price list. Work may not start (arrive) or complete before the
    resident agreed it. Replaced as a whole while nothing is paid; a replacement needs a new agreement."""

    work_order = models.OneToOneField(WorkOrder, on_delete=models.CASCADE, related_name="quote",
                                      verbose_name=_("work order"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("quoted by"))
    created_at = models.DateTimeField(_("quoted at"))
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    agreement_method = models.CharField(_("agreed by"), max_length=16, choices=AgreementMethod.choices, blank=True)
    agreement_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+", verbose_name=_("agreement recorded by"))
    signature = models.TextField(_("signature"), blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_wrong = models.PositiveSmallIntegerField(default=0)  # wrong tries of the current code
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=200, blank=True)

    objects = BillingQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return f"{self.work_order_id}: {self.total}"

    @property
    def pending(self) -> bool:
        return self.agreed_at is None and self.declined_at is None


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote"))
    item = models.ForeignKey(PriceItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    # Copied from the price list when quoted: a later price change does not change an agreed quote.
    name = models.CharField(_("item"), max_length=100)
    unit = models.CharField(_("unit"), max_length=10)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} × {self.quantity}"


class Payment(models.Model):
    """A payment and its receipt (收据). The receipt number comes from the project's sequence in the transaction that
    records the payment, so numbers are never shared or skipped; a voided receipt keeps its number (作废) and the
    next payment gets the next one. Items, payer and room are copied: a receipt never changes after printing."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="payments",
                                   verbose_name=_("work order"))
    receipt_number = models.CharField(_("receipt number"), max_length=20, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    items = models.JSONField(_("items"), default=list)
    payer = models.CharField(_("payer"), max_length=50)
    location = models.CharField(_("room"), max_length=100, blank=True)
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("cashier"))
    paid_at = models.DateTimeField(_("paid at"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("voided by"))
    void_reason = models.CharField(_("why voided"), max_length=200, blank=True)

    objects = BillingQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_at", "id"]
        constraints = [
            # Unique in the whole company (CH-RC2026000001: the project's prefix first), voided ones included.
            models.UniqueConstraint(fields=["receipt_number"], name="payment_receipt_unique"),
            # One valid payment per work order; a voided one does not count.
            models.UniqueConstraint(fields=["work_order"], condition=models.Q(voided_at__isnull=True),
                                    name="payment_one_valid_per_order"),
        ]

    def __str__(self):
        return self.receipt_number

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None
