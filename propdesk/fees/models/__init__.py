from .bills import Adjustment, Bill, BillingRun, LedgerEntry
from .items import DunningStep, FeeItem, FeeRate, Subscription
from .payments import Account, DunningAction, OnlineOrder, Payment, Refund
from .readings import MeterReading
from .reports import CollectionTarget, DailyClosing

__all__ = ["Account", "Adjustment", "Bill", "BillingRun", "CollectionTarget", "DailyClosing", "DunningAction",
           "DunningStep", "FeeItem", "FeeRate", "LedgerEntry", "MeterReading", "OnlineOrder", "Payment", "Refund",
           "Subscription"]
