"""Payments with their receipts, online orders through the payment gateway, refunds, and the account of a home."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project, Room

from ..choices import ApprovalStatus, ContactChannel, ContactOutcome, OnlineOrderStatus, PaymentChannel, PaymentMethod
from .bills import HomeQuerySet


class Account(models.Model):
    """The account of a home (one per room), locked by every change to its money so that two cashiers (or a cashier
    and the gateway) take turns. Kept with the ledger: ``prepaid_fen`` is the sum of its prepaid entries,
    ``owed_fen`` and ``oldest_due`` are read from its open bills; the dunning state sits here too."""

    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="fee_account", verbose_name=_("room"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    prepaid_fen = models.BigIntegerField(_("prepaid (fen)"), default=0)
    owed_fen = models.BigIntegerField(_("owed (fen)"), default=0)
    oldest_due = models.DateField(_("oldest unpaid due date"), null=True, blank=True)
    dispute_open = models.BooleanField(_("dispute open"), default=False)
    dispute_note = models.CharField(_("dispute"), max_length=200, blank=True)
    lawyer_flag_at = models.DateTimeField(_("lawyer's letter flagged at"), null=True, blank=True)
    promise_date = models.DateField(_("promised to pay by"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [models.CheckConstraint(condition=models.Q(prepaid_fen__gte=0),
                                              name="account_prepaid_not_negative")]
        indexes = [
            # The arrears worklist: homes of a project that owe, largest first.
            models.Index(fields=["project", "-owed_fen"], name="account_project_owed",
                         condition=models.Q(owed_fen__gt=0)),
        ]

    def __str__(self):
        return f"{self.room_id}"


class Payment(models.Model):
    """A payment and its receipt (收据). The number comes from the project's receipt sequence (the one paid repairs
    use) in the transaction that records the payment: never shared, never skipped; a voided receipt keeps its number
    (作废). Lines, payer and room are copied so that a printed receipt never changes."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="fee_payments", verbose_name=_("room"))
    receipt_number = models.CharField(_("receipt number"), max_length=20, editable=False)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=PaymentChannel.choices,
                               default=PaymentChannel.DESK)
    # [{"bill": id, "item": "物业服务费", "period": "2026-11", "fen": 35980}, …]
    lines = models.JSONField(_("lines"), default=list)
    prepaid_added_fen = models.BigIntegerField(_("added to prepayment (fen)"), default=0)
    payer = models.CharField(_("payer"), max_length=50)
    location = models.CharField(_("room"), max_length=100)
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("cashier"))
    paid_at = models.DateTimeField(_("paid at"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)  # card slip, transfer or gateway number
    # The form's one-time token (or the API's Idempotency-Key): a second submit finds this payment.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("voided by"))
    void_reason = models.CharField(_("why voided"), max_length=200, blank=True)

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["receipt_number"], name="feepayment_receipt_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="feepayment_idempotency_unique"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="feepayment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["room", "paid_at"], name="feepayment_room_paid"),
            models.Index(fields=["project", "paid_at"], name="feepayment_project_paid"),
        ]

    def __str__(self):
        return self.receipt_number

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class OnlineOrder(models.Model):
    """A payment started in the app: the bills chosen, the amount, and what the gateway said. The gateway's signed
    callback turns it into one Payment, however many times it is delivered."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    out_trade_no = models.CharField(_("order number"), max_length=32, unique=True)
    bill_ids = models.JSONField(_("bills"), default=list)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=16, choices=OnlineOrderStatus.choices,
                              default=OnlineOrderStatus.PENDING)
    gateway_txn = models.CharField(_("gateway transaction"), max_length=64, null=True, blank=True, unique=True)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="online_order",
                                   verbose_name=_("payment"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("who"))
    payer = models.CharField(_("payer"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=200, blank=True)

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.out_trade_no


class Refund(models.Model):
    """Money paid back from a home's prepayment, asked for by a cashier and approved by a manager before it is paid."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    method = models.CharField(_("paid back by"), max_length=16, choices=PaymentMethod.choices)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-requested_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{self.room_id} {self.amount_fen}"


class DunningAction(models.Model):
    """A dunning step done for a home (sent once per arrears episode, counted from ``episode_due``), or a steward's
    contact with the household (a call, a visit) with its outcome and a promise-to-pay date."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    step_code = models.CharField(_("step"), max_length=32, blank=True)  # blank: a contact recorded by a person
    step_kind = models.CharField(_("kind"), max_length=16, blank=True)
    episode_due = models.DateField(_("arrears since"), null=True, blank=True)
    owed_fen = models.BigIntegerField(_("owed then (fen)"), default=0)
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ContactOutcome.choices, blank=True)
    promise_date = models.DateField(_("promised to pay by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("who"))
    at = models.DateTimeField(_("when"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)  # a call task: when the steward made the call

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dunning record")
        verbose_name_plural = _("dunning records")
        ordering = ["-at", "-id"]
        constraints = [
            # Each step once per arrears episode of a home, however often the sweep runs.
            models.UniqueConstraint(fields=["room", "step_code", "episode_due"], name="dunning_step_once",
                                    condition=~models.Q(step_code="")),
        ]
        indexes = [models.Index(fields=["room", "at"], name="dunning_room_at"),
                   models.Index(fields=["project", "step_kind", "done_at"], name="dunning_project_kind")]

    def __str__(self):
        return self.step_code or self.outcome
