from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeKind(models.TextChoices):
    AREA = "area", _("by floor area")  # 物业服务费: m² × monthly rate
    FIXED = "fixed", _("fixed monthly")  # 垃圾清运费 per home; 车位管理费 per subscribed space
    METERED = "metered", _("metered")  # 水费/电费: meter readings × (tiered) tariff
    ONE_OFF = "one_off", _("one-off")  # 装修垃圾清运费, 门禁卡工本费 …
    LATE_FEE = "late_fee", _("late fee")  # 滞纳金, charged at payment unless waived
    OPENING = "opening", _("opening balance")  # 期初欠费 imported from the previous system
    DEPOSIT = "deposit", _("deposit")  # 装修押金: held, not earned; paid back at acceptance less deductions


class Cycle(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class EntryKind(models.TextChoices):
    """What a ledger entry records. Receivable entries change what a bill still owes; prepaid entries change the
    home's 预存 balance; cash entries are money taken in (or paid back) by the center."""

    CHARGE = "charge", _("charge")  # a bill issued: receivable +
    PAYMENT = "payment", _("payment")  # money against a bill: receivable −, cash +
    PREPAY = "prepay", _("prepayment")  # money kept for later bills: prepaid +, cash +
    PREPAY_DRAW = "prepay_draw", _("paid from prepayment")  # receivable −, prepaid −
    ADJUSTMENT = "adjustment", _("adjustment")  # 减免 / correction: receivable ±
    REVERSAL = "reversal", _("voided payment")  # a void: the payment's entries negated
    REFUND = "refund", _("refund")  # prepaid −, cash −
    OPENING = "opening", _("opening balance")  # imported prepaid balance: prepaid +
    DEPOSIT_REFUND = "deposit_refund", _("deposit refund")  # a paid deposit paid back: cash −, the bill unchanged


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    CARD = "card", _("bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    TRANSFER = "transfer", _("bank transfer")
    PREPAID = "prepaid", _("prepaid balance")


class PaymentChannel(models.TextChoices):
    DESK = "desk", _("front desk")
    APP = "app", _("resident app")


class AdjustmentKind(models.TextChoices):
    WAIVER = "waiver", _("reduction (减免)")
    CORRECTION = "correction", _("correction")
    LATE_FEE_WAIVER = "late_fee_waiver", _("late fee waiver")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class OnlineOrderStatus(models.TextChoices):
    PENDING = "pending", _("waiting for payment")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class DunningStepKind(models.TextChoices):
    """The same values as rules.dunning.StepKind."""

    APP = "app_reminder", _("reminder in the app")
    SMS = "sms", _("SMS reminder")
    CALL = "steward_call", _("call by the steward")
    NOTICE = "printed_notice", _("dunning letter (催缴通知书)")
    LAWYER = "lawyer_letter", _("lawyer's letter flag")


class ContactOutcome(models.TextChoices):
    PROMISED = "promised", _("promised to pay")
    REFUSED = "refused", _("refused to pay")
    DISPUTE = "dispute", _("disputes the charge")
    NO_ANSWER = "no_answer", _("no answer")
    PAID = "paid", _("says already paid")
    OTHER = "other", _("other")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("phone")
    VISIT = "visit", _("home visit")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("letter")
